package io.rtcat.session.pake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.errors.RtcatException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property-based fuzzing of code phrases (typed, pasted, or read from a link's fragment; see ProtocolFuzzTest). */
class CodePhraseFuzzTest {

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.of("7", "0", "999", "1000", "007", "-", "_", " ", "crossbow", "orbit", "a", "Z", "é",
                "\u0000", "\u202e", "\t", "--", "x".repeat(33)).list().ofMaxSize(20).map(l -> String.join("", l));
    }

    @Property
    void parseAcceptsOrRefusesCleanlyAndWhatItAcceptsIsStable(@ForAll("codes") String text) {
        check(text);
    }

    @Property
    void anyText(@ForAll String text) {
        check(text);
    }

    private static void check(String text) {
        CodePhrase code;
        try {
            code = CodePhrase.parse(text);
        } catch (RtcatException refused) {
            assertEquals(RtcatException.Kind.USAGE, refused.kind());
            return;
        }
        try {
            assertEquals(code, CodePhrase.parse(code.text()));
        } catch (RtcatException e) {
            throw new AssertionError("accepted " + text + " as " + code.text() + " but not that again");
        }
    }
}
