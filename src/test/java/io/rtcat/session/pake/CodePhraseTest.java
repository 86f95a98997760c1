package io.rtcat.session.pake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CodePhraseTest {

    @Test
    void wordlistHas256DistinctShortLowercaseWords() {
        List<String> words = CodePhrase.wordlist();
        assertEquals(256, words.size());
        assertEquals(256, new HashSet<>(words).size());
        for (String w : words) {
            assertTrue(w.matches("[a-z]{3,8}"), w);
        }
        assertTrue(words.contains("crossbow") && words.contains("orbit"), "the documented example uses list words");
        assertThrows(UnsupportedOperationException.class, () -> words.add("extra"));
    }

    @Test
    void codesForTrackersGetALargerNameplateSpace() throws RtcatException {
        SecureRandom rnd = new SecureRandom();
        int longest = 0;
        for (int i = 0; i < 2000; i++) {
            CodePhrase c = CodePhrase.generate(rnd, true);
            int n = Integer.parseInt(c.nameplate());
            assertTrue(n >= 1 && n <= CodePhrase.MAX_INTERNET_NAMEPLATE, c.text());
            assertEquals(c, CodePhrase.parse(c.text()));
            longest = Math.max(longest, c.nameplate().length());
            assertTrue(Integer.parseInt(CodePhrase.generate(rnd, false).nameplate()) <= CodePhrase.MAX_LOCAL_NAMEPLATE);
        }
        assertEquals(5, longest, "2000 draws from 1..99999 include a five-digit one");
        assertEquals("999999-crossbow-orbit", CodePhrase.parse("999999-crossbow-orbit").text());
        assertEquals("48213", CodePhrase.parse("048213-crossbow-orbit").nameplate());
    }

    @Test
    void generatedCodesAreCanonicalAndParseBack() throws RtcatException {
        SecureRandom rnd = new SecureRandom();
        Set<String> nameplates = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            CodePhrase code = CodePhrase.generate(rnd);
            String text = code.text();
            assertTrue(text.matches("[1-9][0-9]{0,2}-[a-z]{3,8}-[a-z]{3,8}"), text);
            int n = Integer.parseInt(code.nameplate());
            assertTrue(n >= 1 && n <= 999, text);
            assertEquals(2, code.words().size());
            assertTrue(CodePhrase.wordlist().containsAll(code.words()), text);
            assertEquals(text, code.secret());
            CodePhrase back = CodePhrase.parse(text);
            assertEquals(code, back);
            assertEquals(text, back.text());
            nameplates.add(code.nameplate());
        }
        assertTrue(nameplates.size() > 100, "nameplates should vary: " + nameplates.size());
    }

    @Test
    void nameplateAndToStringDoNotRevealTheWords() throws RtcatException {
        for (int i = 0; i < 200; i++) {
            CodePhrase code = CodePhrase.generate(new SecureRandom());
            for (String w : code.words()) {
                assertFalse(code.nameplate().contains(w), code.nameplate());
                assertFalse(code.toString().contains(w), code.toString());
            }
            assertTrue(code.nameplate().matches("[0-9]+"));
            assertEquals(code.nameplate() + "-…", code.toString());
        }
        CodePhrase chosen = CodePhrase.parse("42-ab-cd");
        assertEquals("42-…", chosen.toString());
        assertEquals("42", chosen.nameplate());
    }

    @Test
    void parseAcceptsTypingVariants() throws RtcatException {
        for (String variant : List.of("7-crossbow-orbit", "  7-crossbow-orbit\n", "7-CROSSBOW-Orbit",
                "7_crossbow_orbit", "7 crossbow orbit", "\t7  crossbow - orbit ", "007-crossbow-orbit")) {
            CodePhrase code = CodePhrase.parse(variant);
            assertEquals("7-crossbow-orbit", code.text(), variant);
            assertEquals("7-crossbow-orbit", code.secret(), variant);
            assertEquals("7", code.nameplate(), variant);
            assertEquals(List.of("crossbow", "orbit"), code.words(), variant);
        }
    }

    @Test
    void parseAcceptsOwnWordsAndLongerCodes() throws RtcatException {
        assertEquals("999-purple-monkey-dishwasher", CodePhrase.parse("999-Purple-Monkey-Dishwasher").text());
        assertEquals("1-ab-zz", CodePhrase.parse("1-ab-zz").text());
        String longWord = "a".repeat(32);
        assertEquals("5-" + longWord + "-b" + "c", CodePhrase.parse("5-" + longWord + "-bc").text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "crossbow-orbit", "0-crossbow-orbit", "1000000-crossbow-orbit",
        "-1-crossbow-orbit", "7-crossbow", "7", "7-crossbow-", "7-cross bow2-orbit", "7-a-orbit",
        "7-crossbow-orbít", "7x-crossbow-orbit", "seven-crossbow-orbit", "7.crossbow.orbit",
        "7-crossbow-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void parseRejectsBadCodes(String text) {
        RtcatException e = assertThrows(RtcatException.class, () -> CodePhrase.parse(text));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("invalid code '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("': expected NUMBER-WORD-WORD, e.g. 7-crossbow-orbit"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertNotNull(e.hint());
    }

    @Test
    void parseRejectsNullAndKeepsMessagesOnOneLine() {
        RtcatException e = assertThrows(RtcatException.class, () -> CodePhrase.parse(null));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        RtcatException multi = assertThrows(RtcatException.class, () -> CodePhrase.parse("7-a\nb-c"));
        assertFalse(multi.getMessage().contains("\n"), multi.getMessage());
    }

    @Test
    void exampleMessageFormat() {
        RtcatException e = assertThrows(RtcatException.class, () -> CodePhrase.parse("x"));
        assertEquals("invalid code 'x': expected NUMBER-WORD-WORD, e.g. 7-crossbow-orbit", e.getMessage());
    }
}
