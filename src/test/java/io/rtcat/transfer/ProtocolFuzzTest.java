package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing (jqwik) of what a peer sends over the data channel: the transfer protocol's JSON,
 * offered file names, and names as printed. Each property gets jqwik.tries.default tries (see
 * junit-platform.properties); scripts/fuzz runs many more. A failure prints the shrunk input: keep it as an
 * example-based regression test.
 */
class ProtocolFuzzTest {

    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\"type\"",
            "\"file-start\"", "\"file-end\"", "\"manifest\"", "\"manifest-ack\"", "\"hello\"", "\"ack\"", "\"done\"",
            "\"error\"", "\"batch-end\"", "\"name\"", "\"size\"", "\"files\"", "\"more\"", "\"totalBytes\"",
            "\"bytes\"", "\"offset\"", "\"blocks\"", "\"resume\"", "\"sha256\"", "\"protocol\"", "\"window\"",
            "\"chunkSize\"", "\"totalChunks\"", "\"mtime\"", "\"startOffset\"", "-1", "0", "1", "9223372036854775807",
            "-9223372036854775808", "1e308", "1.5", "null", "true", "false", "\"../x\"", "\"a/b\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"\u202e\"", " ");

    /** Strings that look like protocol messages: random sequences of JSON and protocol tokens. */
    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property
    void decodeOfProtocolLikeTextEitherParsesOrRefusesCleanly(@ForAll("jsonish") String text) {
        decodeCleanly(text);
    }

    @Property
    void decodeOfAnyTextEitherParsesOrRefusesCleanly(@ForAll String text) {
        decodeCleanly(text);
    }

    private static void decodeCleanly(String text) {
        try {
            ProtocolCodec.Message m = ProtocolCodec.decode(text);
            if (m instanceof ProtocolCodec.FileStart f) {
                assertTrue(f.name() != null);
            }
        } catch (RtcatException refused) {
            assertFalse(refused.getMessage().isEmpty());
        }
    }

    @Property
    void aNameSafeNameAcceptsNeverLeavesTheDirectory(@ForAll("names") String raw) {
        Path base = Path.of("/srv/inbox");
        try {
            Path target = SafeName.resolve(base, raw);
            assertTrue(target.startsWith(base) && !target.equals(base), target::toString);
        } catch (RtcatException refused) {
            assertEquals(RtcatException.Kind.PROTOCOL, refused.kind());
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("..", ".", "/", "\\", "a", "b.txt", "\u0000", "C:", "~", "\u202e",
                "\uff0e\uff0e", " ", "%2e%2e").list().ofMaxSize(8).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(300));
    }

    @Property
    void printedNamesHaveNoHiddenCharacters(@ForAll String name) {
        String shown = DisplayName.of(name);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            assertFalse(DisplayName.hidden(c), () -> "hidden U+" + Integer.toHexString(c) + " in " + shown);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < shown.length() && Character.isLowSurrogate(shown.charAt(++i)), shown);
            } else {
                assertFalse(Character.isLowSurrogate(c), shown);
            }
        }
    }
}
