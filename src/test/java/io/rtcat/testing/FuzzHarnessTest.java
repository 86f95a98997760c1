package io.rtcat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fuzz harness itself: it finds a planted bug, reports it replayably, and its inputs depend on the seed only. */
class FuzzHarnessTest {

    @Test
    void aFailingPropertyReportsSeedTryAndTheShortenedInput() {
        AssertionError e = assertThrows(AssertionError.class, () -> Fuzz.run("planted", 2000, 42,
                Fuzz.strings("abcdefgh\u202e", 60), s -> assertTrue(s.indexOf('\u202e') < 0 || s.length() < 3)));
        String m = e.getMessage();
        assertTrue(m.startsWith("planted failed at try "), m);
        assertTrue(m.contains("-Dfuzz.seed=42 -Dfuzz.tries="), m);
        assertTrue(m.contains("input:  \""), m);
        // shortened to three chars (the least that fails), the bidi override printed escaped
        String shrunk = m.substring(m.indexOf("shrunk: ") + 8, m.indexOf('\n', m.indexOf("shrunk: ")));
        assertTrue(shrunk.contains("\\u202e") && shrunk.replace("\\u202e", "!").length() == "\"abc\"".length(), m);
    }

    @Test
    void theReplayLineReproducesTheFailureAtTheSameTry() {
        Fuzz.Property<String> noDoubleQ = s -> assertTrue(!s.contains("qq"));
        AssertionError first = assertThrows(AssertionError.class,
                () -> Fuzz.run("replay", 100_000, 7, Fuzz.strings("abq", 20), noDoubleQ));
        String tries = first.getMessage().replaceAll("(?s).*-Dfuzz.tries=(\\d+)\\).*", "$1");
        AssertionError again = assertThrows(AssertionError.class,
                () -> Fuzz.run("replay", Integer.parseInt(tries), 7, Fuzz.strings("abq", 20), noDoubleQ));
        assertEquals(first.getMessage().replaceFirst(" of \\d+", ""), again.getMessage().replaceFirst(" of \\d+", ""));
    }

    @Test
    void inputsDependOnSeedAndPropertyOnly() {
        assertEquals(draws("p", 1), draws("p", 1));
        assertNotEquals(draws("p", 1), draws("p", 2));
        assertNotEquals(draws("p", 1), draws("q", 1));
    }

    private static List<String> draws(String name, long seed) {
        List<String> out = new ArrayList<>();
        Fuzz.run(name, 50, seed, Fuzz.strings(30), out::add);
        return out;
    }

    @Test
    void mutationsOfASampleCoverTheUsualOperators() {
        String sample = "{\"type\":\"ack\",\"bytes\":65536}";
        Set<String> kinds = new HashSet<>();
        Fuzz.run("mutations", 2000, 1, Fuzz.mutations(List.of(sample)), m -> {
            if (m.length() < sample.length() && sample.startsWith(m)) {
                kinds.add("truncated");
            } else if (m.length() > sample.length() * 2) {
                kinds.add("duplicated");
            } else if (m.chars().anyMatch(c -> Fuzz.NASTY.indexOf(c) >= 0)) {
                kinds.add("nasty");
            }
            if (m.length() == sample.length() && !m.equals(sample)) {
                kinds.add("same length, changed");
            }
        });
        assertEquals(Set.of("truncated", "duplicated", "nasty", "same length, changed"), kinds);
    }

    @Test
    void showEscapesWhatATerminalWouldHide() {
        assertEquals("\"a\\u202e\\u0000\\\"\\\\\\ud800\"", Fuzz.show("a\u202e\u0000\"\\\ud800"));
        assertEquals("hex:00ff", Fuzz.show(new byte[] {0, -1}));
        assertEquals("[\"x\", hex:01]", Fuzz.show(List.of("x", new byte[] {1})));
    }
}
