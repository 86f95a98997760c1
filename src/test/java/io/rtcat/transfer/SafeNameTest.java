package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SafeNameTest {

    static Stream<String> hostileNames() {
        return Stream.of(
                "", ".", "..", "../etc/passwd", "/etc/passwd", "a/../../b", "a/..", "./a", "a/./b",
                "C:\\x", "c:x", "C:/x", "\\\\server\\share", "\\etc\\passwd", "..\\..\\x",
                "a//b", "a/", "/", "a\\\\b",
                "nul\0.txt", "line\nbreak", "tab\there", "del\u007f", "esc\u001b[31m", "cr\r",
                "x".repeat(256), "é".repeat(128), // 256 UTF-8 bytes in one component
                ("d".repeat(200) + "/").repeat(21) + "f", // over 4096 bytes in total
                "bad\ud800surrogate", "\udc00");
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void rejectsHostileNames(String name) {
        RtcatException e = assertThrows(RtcatException.class, () -> SafeName.check(name));
        assertEquals(Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().startsWith("unsafe file name from peer: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\0"), "message must be one clean line");
    }

    @Test
    void rejectsNull() {
        assertThrows(RtcatException.class, () -> SafeName.check(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a.txt", "résumé.pdf", "日本.txt", "with spaces.doc", " leading space", "a/b/c.txt", "...", "..a", "a..",
        ".hidden", "emoji 😀.png", "semi;colon", "ab:c"
    })
    void acceptsNormalNames(String name) throws Exception {
        assertEquals(name, SafeName.check(name));
    }

    @Test
    void normalisesBackslashes() throws Exception {
        assertEquals("a/b/c.txt", SafeName.check("a\\b\\c.txt"));
    }

    @Test
    void acceptsLimits() throws Exception {
        String component = "x".repeat(255);
        assertEquals(component, SafeName.check(component));
        String total = (("d".repeat(254) + "/").repeat(17)).substring(0, 4095) + "f"; // exactly 4096 bytes
        assertEquals(4096, total.length());
        SafeName.check(total);
    }

    @Test
    void resolvesInsideDirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path resolved = SafeName.resolve(dir, "a\\b/c.txt");
        assertEquals(dir.toAbsolutePath().normalize().resolve("a/b/c.txt"), resolved);
        assertTrue(resolved.startsWith(dir.toAbsolutePath()));
    }

    @Test
    void resolveRejectsEscapes(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThrows(RtcatException.class, () -> SafeName.resolve(dir, "../x"));
        assertThrows(RtcatException.class, () -> SafeName.resolve(dir, "/tmp/x"));
    }
}
