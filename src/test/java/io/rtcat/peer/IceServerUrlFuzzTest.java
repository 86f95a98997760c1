package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.errors.RtcatException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property-based fuzzing of ICE server URLs (also handed out by signaling servers; see ProtocolFuzzTest). */
class IceServerUrlFuzzTest {

    @Provide
    Arbitrary<String> urls() {
        return Arbitraries.of("stun:", "turn:", "turns:", "stuns:", "http:", "user", ":", "@", "pass", "host",
                "example.org", "[", "]", "::1", "2001:db8::1", "192.0.2.1", "3478", "0", "99999", "-1", "?",
                "transport=", "udp", "tcp", "&", "%", "%40", " ", "\u0000", "\u202e", "//", "#").list().ofMaxSize(12)
                .map(l -> String.join("", l));
    }

    @Property
    void parseAcceptsOrRefusesCleanlyAndWhatItAcceptsIsStable(@ForAll("urls") String text) {
        check(text);
    }

    @Property
    void anyText(@ForAll String text) {
        check(text);
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
            throw new AssertionError("accepted " + text + " as " + first.url() + " but not that again: "
                    + e.getMessage());
        }
    }
}
