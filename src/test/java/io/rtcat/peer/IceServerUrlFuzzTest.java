package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.errors.RtcatException;
import io.rtcat.testing.Fuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Randomized property tests of ICE server URLs (also handed out by signaling servers; see ProtocolFuzzTest). */
class IceServerUrlFuzzTest {

    private static final List<String> TOKENS = List.of("stun:", "turn:", "turns:", "stuns:", "http:", "user", ":",
            "@", "pass", "host", "example.org", "[", "]", "::1", "2001:db8::1", "192.0.2.1", "3478", "0", "99999", "-1",
            "?", "transport=", "udp", "tcp", "&", "%", "%40", " ", "\u0000", "\u202e", "//", "#");
    /** Accepted forms, as in IceServerUrlTest: the seeds of the mutations. */
    private static final List<String> VALID = List.of("stun:stun.example.org", "stun:h:1234", "  STUN:h:1234 ",
            "stun:[2001:db8::1]:3478", "turn:u:p@[::1]", "turn:user:pass@turn.example.org:3478?transport=tcp",
            "turn:u:p@h?TRANSPORT=UDP", "turns:u:p@host:443?transport=tcp", "turn:u:p@192.0.2.1:3478", "stun:192.0.2.1");

    /** Mutations start from URLs the parser accepts. */
    @Test
    void theSamplesAreValid() throws RtcatException {
        for (String text : VALID) {
            IceServerUrl.parse(text, null, null);
        }
    }

    @Test
    void parseAcceptsOrRefusesCleanlyAndWhatItAcceptsIsStable() {
        Fuzz.forAll("ice-url.tokens", Fuzz.tokens(TOKENS, 12), IceServerUrlFuzzTest::check);
    }

    @Test
    void mutatedUrlsAreAcceptedStablyOrRefusedCleanly() {
        Fuzz.forAll("ice-url.mutations", Fuzz.mutations(VALID), IceServerUrlFuzzTest::check);
    }

    @Test
    void anyText() {
        Fuzz.forAll("ice-url.any", Fuzz.strings(255), IceServerUrlFuzzTest::check);
    }

    private static void check(String text) {
        IceServerUrl first;
        try {
            first = IceServerUrl.parse(text, null, null);
        } catch (RtcatException refused) {
            return;
        }
        try {
            IceServerUrl again = IceServerUrl.parse(first.url(), first.username(), first.password());
            assertEquals(first.url(), again.url());
        } catch (RtcatException e) {
            throw new AssertionError("accepted " + Fuzz.show(text) + " as " + Fuzz.show(first.url())
                    + " but not that again: " + e.getMessage());
        }
    }
}
