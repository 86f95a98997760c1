package io.rtcat.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PeerTextTest {

    @Test
    void escapesWhatATerminalWouldActOnOrHide() {
        assertEquals("a\\u001b[2Jb", PeerText.echo("a\u001b[2Jb"));
        assertEquals("\\u202eevil\\u200b", PeerText.echo("\u202eevil\u200b"));
        assertEquals("line\\u000aline\\u0085", PeerText.echo("line\nline\u0085"));
        assertEquals("lone \\ud800 surrogate", PeerText.echo("lone \ud800 surrogate"));
        assertEquals("paired \ud83d\ude00 fine", PeerText.echo("paired \ud83d\ude00 fine"));
        assertEquals("null", PeerText.echo(null));
    }

    @Test
    void capsTheLengthAndMarksTheCut() {
        assertEquals("x".repeat(PeerText.ECHO_CHARS) + "...", PeerText.echo("x".repeat(500)));
        assertEquals("x".repeat(PeerText.ECHO_CHARS), PeerText.echo("x".repeat(PeerText.ECHO_CHARS)));
        assertEquals("abc...", PeerText.sanitize("abcdef", 3));
    }
}
