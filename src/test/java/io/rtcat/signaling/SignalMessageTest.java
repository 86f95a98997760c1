package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SignalMessageTest {

    @Test
    void parsesBrowserJoin() throws Exception {
        SignalMessage m = SignalMessage.parse("{\"type\":\"join\",\"room\":\"r1\",\"userId\":\"alice\"}");
        assertEquals("join", m.type());
        assertEquals("r1", m.room());
        assertEquals("alice", m.userId());
        assertNull(m.sender());
        assertNull(m.target());
    }

    @Test
    void parsesBrowserOffer() throws Exception {
        SignalMessage m = SignalMessage.parse(
                "{\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"},"
                        + "\"target\":\"bob\",\"sender\":\"alice\"}");
        assertEquals("offer", m.type());
        assertEquals("offer", m.sdpType());
        assertEquals("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n", m.sdp());
        assertEquals("bob", m.target());
        assertEquals("alice", m.sender());
        assertNull(m.candidate());
        assertNull(m.sdpMLineIndex());
    }

    @Test
    void parsesBrowserAnswerWithoutTarget() throws Exception {
        SignalMessage m = SignalMessage.parse("{\"type\":\"answer\",\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
        assertEquals("answer", m.type());
        assertEquals("answer", m.sdpType());
        assertEquals("v=0", m.sdp());
        assertNull(m.target());
    }

    @Test
    void parsesBrowserIceCandidate() throws Exception {
        SignalMessage m = SignalMessage.parse("{\"type\":\"ice-candidate\",\"candidate\":{"
                + "\"candidate\":\"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"abcd\"},\"target\":\"bob\"}");
        assertEquals("ice-candidate", m.type());
        assertEquals("candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host", m.candidate());
        assertEquals("0", m.sdpMid());
        assertEquals(0, m.sdpMLineIndex());
        assertEquals("abcd", m.usernameFragment());
        assertEquals("bob", m.target());
    }

    @Test
    void sdpMLineIndexAbsentOrNullIsNull() throws Exception {
        SignalMessage absent = SignalMessage.parse(
                "{\"type\":\"ice-candidate\",\"candidate\":{\"candidate\":\"candidate:x\",\"sdpMid\":\"0\"}}");
        assertNull(absent.sdpMLineIndex());
        assertNull(absent.usernameFragment());
        assertEquals("0", absent.sdpMid());
        SignalMessage nulls = SignalMessage.parse("{\"type\":\"ice-candidate\",\"candidate\":{"
                + "\"candidate\":\"candidate:x\",\"sdpMid\":null,\"sdpMLineIndex\":null}}");
        assertNull(nulls.sdpMLineIndex());
        assertNull(nulls.sdpMid());
        SignalMessage noCandidate = SignalMessage.parse("{\"type\":\"ice-candidate\"}");
        assertNull(noCandidate.candidate());
        assertNull(noCandidate.sdpMLineIndex());
        assertNull(noCandidate.sdpMid());
    }

    @Test
    void wrongKindsReadAsNull() throws Exception {
        SignalMessage m = SignalMessage.parse(
                "{\"type\":\"offer\",\"sdp\":42,\"target\":7,\"candidate\":{\"sdpMLineIndex\":\"1\"}}");
        assertNull(m.sdp());
        assertNull(m.sdpType());
        assertNull(m.target());
        assertNull(m.sdpMLineIndex());
    }

    @Test
    void factoriesProduceBrowserShapes() throws Exception {
        assertEquals("{\"type\":\"join\",\"room\":\"r\",\"userId\":\"u\",\"v\":1}", SignalMessage.join("r", "u").toJson());
        assertEquals("{\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"target\":\"bob\"}",
                SignalMessage.offer("offer", "v=0", "bob").toJson());
        assertEquals("{\"type\":\"answer\",\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}",
                SignalMessage.answer(null, "v=0", null).toJson());
        assertEquals("{\"type\":\"ice-candidate\",\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\","
                        + "\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\"},\"target\":\"bob\"}",
                SignalMessage.iceCandidate("candidate:1", "0", 0, "uf", "bob").toJson());
        assertEquals("{\"type\":\"ice-candidate\",\"candidate\":{\"candidate\":\"candidate:1\"}}",
                SignalMessage.iceCandidate("candidate:1", null, null, null, null).toJson());
        assertEquals("{\"type\":\"leave\"}", SignalMessage.leave().toJson());
    }

    @Test
    void roundTrips() throws Exception {
        SignalMessage[] all = {
            SignalMessage.join("room", "user"),
            SignalMessage.offer("offer", "v=0\r\na=x\r\n", "bob"),
            SignalMessage.answer("answer", "v=0", null),
            SignalMessage.iceCandidate("candidate:1", "0", 3, "frag", "alice"),
            SignalMessage.iceCandidate("", null, null, null, null),
            SignalMessage.error("room-full", "room \"r\" is full"),
            SignalMessage.of("hello").with("version", 1).with("pake", "abc\u00e9\u2603").with("ok", true),
        };
        for (SignalMessage m : all) {
            SignalMessage back = SignalMessage.parse(m.toJson());
            assertEquals(m, back);
            assertEquals(m.toJson(), back.toJson());
            assertEquals(m.hashCode(), back.hashCode());
        }
        SignalMessage c = SignalMessage.parse(all[3].toJson());
        assertEquals(3, c.sdpMLineIndex());
        assertEquals("frag", c.usernameFragment());
    }

    @Test
    void extraFieldsAreKeptVerbatim() throws Exception {
        String json = "{\"type\":\"pake\",\"msg\":\"AAEC\",\"n\":12345678901234567890,\"f\":1.50,"
                + "\"nested\":{\"a\":[1,2,{\"b\":null}]}}";
        SignalMessage m = SignalMessage.parse(json);
        assertEquals(json, m.toJson());
        assertEquals("AAEC", m.get("msg"));
        assertEquals("12345678901234567890", m.get("n"));
        assertNull(m.get("nested"));
        assertNull(m.get("missing"));
        assertEquals(3, m.getNode("nested").get("a").size());
        assertTrue(m.has("nested"));
    }

    @Test
    void withReturnsCopies() {
        SignalMessage a = SignalMessage.of("hello");
        SignalMessage b = a.with("x", "1");
        assertNull(a.get("x"));
        assertEquals("1", b.get("x"));
        assertNull(b.with("x", (String) null).get("x"));
        assertEquals("bob", a.withTarget("bob").target());
        assertNotEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> a.with("type", (String) null));
        assertThrows(IllegalArgumentException.class, () -> a.with("type", ""));
        assertEquals("other", a.with("type", "other").type());
    }

    @Test
    void wrappedNodesAreCopied() {
        ObjectNode n = Json.object();
        n.put("type", "hello");
        SignalMessage m = SignalMessage.of(n);
        n.put("type", "changed");
        assertEquals("hello", m.type());
        ObjectNode out = m.toObjectNode();
        out.put("type", "changed");
        assertEquals("hello", m.type());
        ObjectNode noType = Json.object();
        assertThrows(IllegalArgumentException.class, () -> SignalMessage.of(noType));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "{", "not json", "{\"type\":\"join\"", "[1,2]", "\"join\"", "42", "null",
        "{}", "{\"type\":\"\"}", "{\"type\":5}", "{\"type\":null}", "{\"type\":\"a\"} trailing",
        "{\"type\":\"a\",\"type\":\"b\"}",
    })
    void malformedIsProtocolError(String json) {
        RtcatException e = assertThrows(RtcatException.class, () -> SignalMessage.parse(json));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().startsWith("malformed signaling message"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void nullIsProtocolError() {
        RtcatException e = assertThrows(RtcatException.class, () -> SignalMessage.parse(null));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
    }

    @Test
    void errorAccessors() throws Exception {
        SignalMessage e = SignalMessage.parse("{\"type\":\"error\",\"code\":\"room-full\",\"message\":\"full\"}");
        assertEquals("room-full", e.code());
        assertEquals("full", e.errorMessage());
    }
}
