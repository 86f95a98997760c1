package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.errors.RtcatException;
import io.rtcat.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Randomized property tests of what a client or a stranger sends the signaling server (see ProtocolFuzzTest). */
class SignalingFuzzTest {

    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\"type\"", "\"join\"",
            "\"offer\"", "\"room\"", "\"userId\"", "\"target\"", "\"sender\"", "\"sdp\"", "\"candidate\"",
            "\"iceServers\"", "\"urls\"", "1", "-1", "1e999", "null", "true", "\"\\u0000\"", "\"\\ud800\"", " ");
    private static final List<String> KEYS = List.of("type", "room", "userId", "target", "sender", "sdp",
            "candidate", "sdpMid", "sdpMLineIndex", "iceServers", "urls", "username", "credential", "token");
    private static final List<String> VALUES = List.of("join", "offer", "answer", "ice-candidate", "leave", "peers",
            "joined", "error", "r1", "alice", "bob", "v=0", "candidate:1 1 udp 1 192.0.2.1 9 typ host", "0",
            "stun:h:3478", "turn:u:p@h");
    /** Messages a browser or rtcat sends, as in SignalMessageTest: the seeds of the mutations. */
    private static final List<String> VALID = List.of(
            "{\"type\":\"join\",\"room\":\"r1\",\"userId\":\"alice\"}",
            "{\"type\":\"offer\",\"target\":\"bob\",\"sdp\":{\"type\":\"offer\","
                    + "\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\"}}",
            "{\"type\":\"answer\",\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}",
            "{\"type\":\"ice-candidate\",\"target\":\"alice\",\"candidate\":{\"candidate\":"
                    + "\"candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\","
                    + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
            "{\"type\":\"ice-candidate\"}",
            "{\"type\":\"join\",\"room\":\"r1\",\"userId\":\"bob\",\"iceServers\":[{\"urls\":[\"turn:h:3478\"],"
                    + "\"username\":\"u\",\"credential\":\"p\"}]}");

    /** Mutations start from messages the parser accepts. */
    @Test
    void theSamplesAreValid() throws RtcatException {
        for (String text : VALID) {
            SignalMessage.parse(text);
        }
    }

    @Test
    void signalMessagesEitherParseOrAreRefusedCleanly() {
        Fuzz.forAll("signal.tokens", Fuzz.tokens(TOKENS, 40), SignalingFuzzTest::parseCleanly);
    }

    @Test
    void grammarJsonEitherParsesOrIsRefusedCleanly() {
        Fuzz.forAll("signal.json", Fuzz.json(KEYS, VALUES, 3), SignalingFuzzTest::parseCleanly);
    }

    @Test
    void mutatedMessagesEitherParseOrAreRefusedCleanly() {
        Fuzz.forAll("signal.mutations", Fuzz.mutations(VALID), SignalingFuzzTest::parseCleanly);
        Fuzz.Gen<byte[]> bytes = Fuzz.byteMutations(VALID.stream().map(Fuzz::utf8).toList());
        Fuzz.forAll("signal.byte-mutations", bytes.map(b -> new String(b, StandardCharsets.UTF_8)),
                SignalingFuzzTest::parseCleanly);
    }

    @Test
    void anyTextEitherParsesOrIsRefusedCleanly() {
        Fuzz.forAll("signal.any", Fuzz.strings(255), SignalingFuzzTest::parseCleanly);
    }

    /** The relay's streaming scan accepts exactly what the strict tree parser accepts, and reads the same fields. */
    @Test
    void theScanAgreesWithTheTreeParser() {
        Fuzz.forAll("signal.scan.tokens", Fuzz.tokens(TOKENS, 40), SignalingFuzzTest::scanAgrees);
        Fuzz.forAll("signal.scan.json", Fuzz.json(KEYS, VALUES, 3), SignalingFuzzTest::scanAgrees);
        Fuzz.forAll("signal.scan.mutations", Fuzz.mutations(VALID), SignalingFuzzTest::scanAgrees);
    }

    private static void scanAgrees(String text) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = Json.read(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            tree = null;
        }
        MessageScan scan;
        try {
            scan = MessageScan.of(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | MessageScan.NotAnObject e) {
            assertEquals(false, tree != null && tree.isObject(), () -> "scan refused " + e.getMessage());
            return;
        }
        assertEquals(true, tree != null && tree.isObject(), "scan accepted what the tree parser refuses");
        assertEquals(textOrNull(tree, "type"), scan.type());
        assertEquals(textOrNull(tree, "target"), scan.target());
        assertEquals(textOrNull(tree, "room"), scan.room());
        assertEquals(textOrNull(tree, "userId"), scan.userId());
        assertEquals(tree.has("sender"), scan.hasSender());
        var t = tree.get("target");
        assertEquals(t != null && !t.isNull() && !t.isTextual(), scan.badTarget());
        // What the relay sends is the message with sender set, whichever way it was built.
        com.fasterxml.jackson.databind.node.ObjectNode expected = tree.deepCopy();
        expected.put("sender", "s\"1");
        try {
            assertEquals(expected, Json.read(RelayProtocol.withSender(scan.hasSender(), text, "s\"1")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("relayed text is not json", e);
        }
    }

    private static String textOrNull(com.fasterxml.jackson.databind.JsonNode tree, String field) {
        var v = tree.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static void parseCleanly(String text) {
        try {
            SignalMessage m = SignalMessage.parse(text);
            m.type();
            m.sender();
            m.toJson();
        } catch (RtcatException refused) {
            assertEquals(RtcatException.Kind.PROTOCOL, refused.kind(), refused.getMessage());
        }
    }

    private record Arrival(byte[] head, List<Integer> chunks) {
        @Override
        public String toString() {
            return Fuzz.show(head) + " " + Fuzz.show(new String(head, StandardCharsets.ISO_8859_1)) + " in " + chunks;
        }
    }

    /** The page server looks for the end of the request head as bytes come; any split finds the same end. */
    @Test
    void theHeaderEndIsFoundTheSameHoweverTheBytesArrive() {
        Fuzz.Gen<String> heads = Fuzz.oneOf(
                Fuzz.tokens(List.of("GET / HTTP/1.1", "\r", "\n", "\r\n", "Upgrade: websocket", "Host: x", ":", " ",
                        "a"), 20),
                Fuzz.mutations(List.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")));
        Fuzz.Gen<List<Integer>> chunks = Fuzz.lists(Fuzz.ints(1, 64), 8);
        Fuzz.forAll("page.header-end", r -> new Arrival(heads.next(r).getBytes(StandardCharsets.ISO_8859_1),
                chunks.next(r)), a -> assertSameEnd(a.head(), a.chunks()));
    }

    private static void assertSameEnd(byte[] head, List<Integer> chunks) {
        int whole = PageServingFactory.Connection.headerEnd(head);
        int found = -1;
        int from = 0;
        int at = 0;
        for (int i = 0; found < 0 && at < head.length; i++) {
            int n = i < chunks.size() ? Math.min(chunks.get(i), head.length - at) : head.length - at;
            at += n;
            found = PageServingFactory.Connection.headerEnd(head, Math.max(3, from), at);
            from = at;
        }
        assertEquals(whole, found, () -> Arrays.toString(head));
    }

    @Test
    void upgradeDetectionNeverFails() {
        Fuzz.Gen<String> headers = Fuzz.oneOf(Fuzz.strings(255),
                Fuzz.mutations(List.of("Upgrade: websocket", "upgrade: WebSocket\r\n", "Connection: Upgrade")));
        Fuzz.forAll("page.upgrade", headers, PageServingFactory.Connection::isUpgrade);
    }
}
