package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.diagnostics.CheckMessages.Bye;
import io.rtcat.diagnostics.CheckMessages.Cancel;
import io.rtcat.diagnostics.CheckMessages.CheckError;
import io.rtcat.diagnostics.CheckMessages.CheckHello;
import io.rtcat.diagnostics.CheckMessages.MediaAnswer;
import io.rtcat.diagnostics.CheckMessages.MediaCandidate;
import io.rtcat.diagnostics.CheckMessages.MediaEnd;
import io.rtcat.diagnostics.CheckMessages.MediaFigures;
import io.rtcat.diagnostics.CheckMessages.MediaOffer;
import io.rtcat.diagnostics.CheckMessages.Message;
import io.rtcat.diagnostics.CheckMessages.PingChannel;
import io.rtcat.diagnostics.CheckMessages.PingChannelReady;
import io.rtcat.diagnostics.CheckMessages.Sink;
import io.rtcat.diagnostics.CheckMessages.SinkEnd;
import io.rtcat.diagnostics.CheckMessages.SinkResult;
import io.rtcat.diagnostics.CheckMessages.Source;
import io.rtcat.diagnostics.CheckMessages.SourceEnd;
import io.rtcat.diagnostics.CheckMessages.Unknown;
import io.rtcat.errors.RtcatException;
import io.rtcat.json.Mappers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The check protocol's codec: every message round-trips, the wire form is version 1's, bad input is one error. */
class CheckMessagesTest {

    @Test
    void roundTripsEveryMessage() throws Exception {
        List<Message> messages = List.of(
                CheckHello.checker(), CheckHello.responder(60), new PingChannel(1000), new PingChannelReady(1000),
                new Sink(), new SinkEnd(), new SinkResult(12, 34), new Source(5000, 0), new Source(0, 2.5),
                new SourceEnd(7), new MediaOffer("v=0\r\n"), new MediaAnswer("v=0\r\n"),
                new MediaCandidate("candidate:1 1 udp 1 10.0.0.1 9 typ host", "0", 0),
                new MediaCandidate("", null, null),
                new MediaFigures(true, Mappers.JSON.readTree("{\"video_frames\":3}"), Mappers.JSON.readTree("[]")),
                new MediaEnd(), new Bye(), new Cancel("interrupted"), new CheckError("x\"y"),
                new Unknown("future-thing"));
        for (Message m : messages) {
            assertEquals(m, CheckMessages.decode(CheckMessages.encode(m)), m.toString());
        }
    }

    /** The wire form is the one older rtcat versions speak: these strings are what 1.x sent. */
    @Test
    void encodesVersionOneWireForm() {
        assertEquals("{\"type\":\"check-hello\",\"version\":1}", CheckMessages.encode(CheckHello.checker()));
        assertEquals("{\"type\":\"check-hello\",\"version\":1,\"max_seconds\":60}",
                CheckMessages.encode(CheckHello.responder(60)));
        assertEquals("{\"type\":\"source\",\"bytes\":5000}", CheckMessages.encode(new Source(5000, 9)));
        assertEquals("{\"type\":\"source\",\"seconds\":2.5}", CheckMessages.encode(new Source(0, 2.5)));
        assertEquals("{\"type\":\"media-candidate\",\"candidate\":\"c\",\"mid\":\"0\",\"index\":1}",
                CheckMessages.encode(new MediaCandidate("c", "0", 1)));
        assertEquals("{\"type\":\"media-candidate\",\"candidate\":\"c\",\"mid\":null}",
                CheckMessages.encode(new MediaCandidate("c", null, null)));
        assertEquals("{\"type\":\"cancel\",\"reason\":\"interrupted\"}",
                CheckMessages.encode(new Cancel("interrupted")));
        assertEquals("{\"type\":\"sink\"}", CheckMessages.encode(new Sink()));
    }

    /** Not a control message at all (a late pong, stray text): ignored like an unknown type, not an error. */
    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "[1]", "42", "{\"type\":7}", "{\"seq\":1}",
        "{\"type\":\"pong\",\"seq\":4,\"t\":9}", "{\"type\":\"from-the-future\",\"x\":[1]}"})
    void nonMessagesAndUnknownTypesAreTolerated(String text) throws Exception {
        assertTrue(CheckMessages.decode(text) instanceof Unknown, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"check-hello\"}",
        "{\"type\":\"check-hello\",\"version\":\"1\"}",
        "{\"type\":\"check-hello\",\"version\":1,\"max_seconds\":-5}",
        "{\"type\":\"ping-channel\"}",
        "{\"type\":\"ping-channel\",\"id\":70000}",
        "{\"type\":\"ping-channel-ready\",\"id\":-1}",
        "{\"type\":\"sink-result\",\"bytes\":1}",
        "{\"type\":\"sink-result\",\"bytes\":1.5,\"nanos\":1}",
        "{\"type\":\"sink-result\",\"bytes\":-1,\"nanos\":1}",
        "{\"type\":\"source\"}",
        "{\"type\":\"source\",\"bytes\":-3}",
        "{\"type\":\"source\",\"seconds\":\"ten\"}",
        "{\"type\":\"source\",\"seconds\":-1}",
        "{\"type\":\"source-end\"}",
        "{\"type\":\"source-end\",\"bytes\":\"many\"}",
        "{\"type\":\"media-offer\"}",
        "{\"type\":\"media-answer\",\"sdp\":5}",
        "{\"type\":\"media-candidate\",\"candidate\":[]}",
        "{\"type\":\"media-candidate\",\"candidate\":\"c\",\"index\":\"0\"}",
        "{\"type\":\"media-stats\",\"final\":\"yes\"}",
        "{\"type\":\"media-stats\",\"inbound\":{}}",
        "{\"type\":\"media-stats\",\"received\":[]}",
    })
    void invalidFieldsAreOneProtocolError(String text) {
        RtcatException e = assertThrows(RtcatException.class, () -> CheckMessages.decode(text));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
        assertTrue(Character.isLowerCase(e.getMessage().charAt(0)), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(" message "), "names the message type: " + e.getMessage());
    }

    @Test
    void peerTextIsSanitised() throws Exception {
        CheckError e = (CheckError) CheckMessages.decode("{\"type\":\"check-error\",\"message\":\"bad\\u001b[2Jthing\\u202e\"}");
        assertEquals("bad\\u001b[2Jthing\\u202e", e.message());
        Cancel c = (Cancel) CheckMessages.decode("{\"type\":\"cancel\",\"reason\":\"" + "x".repeat(1000) + "\"}");
        assertEquals(CheckMessages.MAX_REASON_CHARS + "...".length(), c.reason().length());
        assertEquals("no reason given", ((Cancel) CheckMessages.decode("{\"type\":\"cancel\"}")).reason());
        assertEquals("7", ((CheckError) CheckMessages.decode("{\"type\":\"check-error\",\"message\":7}")).message());
        Unknown u = (Unknown) CheckMessages.decode("{\"type\":\"evil\\u0007\"}");
        assertEquals("evil\\u0007", u.type());
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        assertEquals(new CheckHello(1, null), CheckMessages.decode("{\"type\":\"check-hello\",\"version\":1}"));
        assertEquals(new MediaCandidate("", null, null), CheckMessages.decode("{\"type\":\"media-candidate\"}"));
        assertEquals(new MediaFigures(false, null, null), CheckMessages.decode("{\"type\":\"media-stats\"}"));
        assertEquals(new Source(0, 3), CheckMessages.decode("{\"type\":\"source\",\"seconds\":3}"));
    }
}
