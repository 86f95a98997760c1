package io.rtcat.session.pake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.errors.RtcatException;
import io.rtcat.testing.Fuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Randomized property tests of code phrases (typed, pasted, or read from a link's fragment; see ProtocolFuzzTest). */
class CodePhraseFuzzTest {

    private static final List<String> TOKENS = List.of("7", "0", "999", "1000", "007", "-", "_", " ", "crossbow",
            "orbit", "a", "Z", "é", "\u0000", "\u202e", "\t", "--", "x".repeat(33));
    /** Accepted forms, as in CodePhraseTest: the seeds of the mutations. */
    private static final List<String> VALID = List.of("7-crossbow-orbit", "999999-crossbow-orbit",
            "048213-crossbow-orbit", "42-ab-cd", "999-Purple-Monkey-Dishwasher", "1-ab-zz");

    /** Mutations start from codes the parser accepts. */
    @Test
    void theSamplesAreValid() throws RtcatException {
        for (String text : VALID) {
            CodePhrase.parse(text);
        }
    }

    @Test
    void parseAcceptsOrRefusesCleanlyAndWhatItAcceptsIsStable() {
        Fuzz.forAll("code.tokens", Fuzz.tokens(TOKENS, 20), CodePhraseFuzzTest::check);
    }

    @Test
    void mutatedCodesAreAcceptedStablyOrRefusedCleanly() {
        Fuzz.forAll("code.mutations", Fuzz.mutations(VALID), CodePhraseFuzzTest::check);
    }

    @Test
    void anyText() {
        Fuzz.forAll("code.any", Fuzz.strings(255), CodePhraseFuzzTest::check);
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
            throw new AssertionError("accepted " + Fuzz.show(text) + " as " + Fuzz.show(code.text())
                    + " but not that again");
        }
    }
}
