package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DisplayNameTest {

    @Test
    void plainNamesStayAsTheyAre() {
        assertEquals("report.pdf", DisplayName.of("report.pdf"));
        assertEquals("Grüße/日本語 😀.txt", DisplayName.of("Grüße/日本語 😀.txt"));
    }

    @Test
    void bidiZeroWidthAndControlCharactersAreEscaped() {
        assertEquals("evil\\u202efdp.exe", DisplayName.of("evil\u202Efdp.exe")); // would print as evilexe.pdf
        assertEquals("a\\u200bb", DisplayName.of("a\u200Bb"));
        assertEquals("a\\u0085b\\u009bc", DisplayName.of("a\u0085b\u009Bc")); // C1: NEL, CSI
        assertEquals("a\\u001b[2Jb", DisplayName.of("a\u001B[2Jb"));
        assertEquals("\\u2066x\\u2069\\ufeff", DisplayName.of("\u2066x\u2069\uFEFF"));
        assertEquals("\\ud800", DisplayName.of("\uD800"));
    }
}
