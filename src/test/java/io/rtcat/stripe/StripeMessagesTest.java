package io.rtcat.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.stripe.StripeMessages.Abandon;
import io.rtcat.stripe.StripeMessages.Announce;
import io.rtcat.stripe.StripeMessages.Message;
import io.rtcat.stripe.StripeMessages.Ready;
import io.rtcat.stripe.StripeMessages.StripeAnswer;
import io.rtcat.stripe.StripeMessages.StripeCandidate;
import io.rtcat.stripe.StripeMessages.StripeOffer;
import io.rtcat.stripe.StripeMessages.Unknown;
import io.rtcat.stripe.StripeMessages.Unsupported;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stripe set-up codec: round trips, the wire form peers (and the browser page) speak, malformed input. */
class StripeMessagesTest {

    @Test
    void roundTripsEveryMessage() throws Exception {
        List<Message> messages = List.of(new Announce(4, "auto: 40 ms path"), new Announce(1, ""),
                new StripeOffer(1, "offer", "v=0\r\n"), new StripeAnswer(3, "answer", "v=0\r\n"),
                new StripeCandidate(2, "candidate:1 1 udp 1 10.0.0.1 9 typ host", "0", 0),
                new StripeCandidate(2, "", null, null), new Ready(4), new Abandon("timed out"),
                new Unsupported("a browser page uses one connection"), new Unsupported(null),
                new Announce(28, "auto: measuring the path's loss", true), new StripeMessages.ProbeReady(),
                new StripeMessages.ProbeEnd(), new StripeMessages.ProbeResult(4101, 2050L),
                new StripeMessages.ProbeResult(4101, null), new Unknown("stripes-future"));
        for (Message m : messages) {
            assertEquals(m, StripeMessages.decode(StripeMessages.encode(m)), m.toString());
        }
    }

    @Test
    void encodesTheWireFormPeersSpeak() {
        assertEquals("{\"type\":\"stripes\",\"count\":1,\"reason\":\"r\"}",
                StripeMessages.encode(new Announce(1, "r")));
        assertEquals("{\"type\":\"stripe-offer\",\"index\":1,\"sdp_type\":\"offer\",\"sdp\":\"s\"}",
                StripeMessages.encode(new StripeOffer(1, "offer", "s")));
        assertEquals("{\"type\":\"stripe-candidate\",\"index\":2,\"candidate\":\"c\",\"mid\":\"0\",\"mline\":0}",
                StripeMessages.encode(new StripeCandidate(2, "c", "0", 0)));
        assertEquals("{\"type\":\"stripes-ready\",\"count\":3}", StripeMessages.encode(new Ready(3)));
        assertEquals("{\"type\":\"stripes-abandon\",\"why\":\"w\"}", StripeMessages.encode(new Abandon("w")));
        assertEquals("{\"type\":\"stripes\",\"count\":28,\"reason\":\"r\",\"probe\":true}",
                StripeMessages.encode(new Announce(28, "r", true)));
        assertEquals("{\"type\":\"stripes-probe-result\",\"packets\":7,\"packets_sent\":3}",
                StripeMessages.encode(new StripeMessages.ProbeResult(7, 3L)));
        assertEquals("{\"type\":\"stripes-probe-result\",\"packets\":7}",
                StripeMessages.encode(new StripeMessages.ProbeResult(7, null)), "an older receiver's result");
    }

    @Test
    void aProbeResultMustCountPackets() {
        RtcatException e = assertThrows(RtcatException.class,
                () -> StripeMessages.decode("{\"type\":\"stripes-probe-result\",\"packets\":-1}"));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
        assertThrows(RtcatException.class, () -> StripeMessages.decode("{\"type\":\"stripes-probe-result\"}"));
        assertThrows(RtcatException.class, () -> StripeMessages.decode(
                "{\"type\":\"stripes-probe-result\",\"packets\":5,\"packets_sent\":-2}"));
        assertThrows(RtcatException.class,
                () -> StripeMessages.decode("{\"type\":\"stripes\",\"count\":3,\"probe\":\"yes\"}"));
    }

    /** What the browser page sends, byte for byte (transfer.js / app.js). */
    @Test
    void decodesTheBrowserPagesMessages() throws Exception {
        assertEquals(new Announce(1, "browser page: one stream"), StripeMessages.decode(
                "{\"type\":\"stripes\",\"count\":1,\"reason\":\"browser page: one stream\"}"));
        assertEquals(new Unsupported("a browser page uses one connection"), StripeMessages.decode(
                "{\"type\":\"stripes-unsupported\",\"why\":\"a browser page uses one connection\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not json", "{", "[]", "42", "{\"index\":1}", "{\"type\":7}",
        "{\"type\":\"stripes\"}",
        "{\"type\":\"stripes\",\"count\":\"4\"}",
        "{\"type\":\"stripes\",\"count\":-1}",
        "{\"type\":\"stripes\",\"count\":2,\"reason\":5}",
        "{\"type\":\"stripe-offer\",\"sdp_type\":\"offer\",\"sdp\":\"s\"}",
        "{\"type\":\"stripe-offer\",\"index\":1,\"sdp\":\"s\"}",
        "{\"type\":\"stripe-offer\",\"index\":1,\"sdp_type\":\"offer\"}",
        "{\"type\":\"stripe-answer\",\"index\":1.5,\"sdp_type\":\"answer\",\"sdp\":\"s\"}",
        "{\"type\":\"stripe-answer\",\"index\":99999,\"sdp_type\":\"answer\",\"sdp\":\"s\"}",
        "{\"type\":\"stripe-candidate\",\"candidate\":\"c\"}",
        "{\"type\":\"stripe-candidate\",\"index\":1,\"candidate\":{}}",
        "{\"type\":\"stripe-candidate\",\"index\":1,\"mline\":\"0\"}",
        "{\"type\":\"stripes-ready\"}",
    })
    void malformedOrInvalidIsOneProtocolError(String text) {
        RtcatException e = assertThrows(RtcatException.class, () -> StripeMessages.decode(text));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
        assertTrue(Character.isLowerCase(e.getMessage().charAt(0)), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void peerTextIsSanitised() throws Exception {
        Abandon a = (Abandon) StripeMessages.decode("{\"type\":\"stripes-abandon\",\"why\":\"x\\u001b[31my\\n\"}");
        assertEquals("x\\u001b[31my\\u000a", a.why());
        Unsupported u = (Unsupported) StripeMessages.decode("{\"type\":\"stripes-unsupported\",\"why\":\""
                + "w".repeat(500) + "\"}");
        assertEquals(StripeMessages.MAX_REASON_CHARS + 3, u.why().length());
        RtcatException e = assertThrows(RtcatException.class, () -> StripeMessages.decode("\u001b[2J{"));
        assertTrue(e.getMessage().contains("\\u001b[2J{"), e.getMessage());
        assertEquals(new Unknown("odd\\u202e"), StripeMessages.decode("{\"type\":\"odd\\u202e\"}"));
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        assertEquals(new Announce(3, ""), StripeMessages.decode("{\"type\":\"stripes\",\"count\":3}"));
        assertEquals(new Abandon(""), StripeMessages.decode("{\"type\":\"stripes-abandon\"}"));
        assertEquals(new Unsupported(null), StripeMessages.decode("{\"type\":\"stripes-unsupported\"}"));
        assertEquals(new StripeCandidate(1, "", null, null),
                StripeMessages.decode("{\"type\":\"stripe-candidate\",\"index\":1}"));
    }
}
