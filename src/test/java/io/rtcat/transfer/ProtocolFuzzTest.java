package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Randomized property tests ({@link Fuzz}) of what a peer sends over the data channel: the transfer protocol's JSON,
 * offered file names, and names as printed. Inputs: token soup, JSON from a grammar with the protocol's keys, and
 * mutations of valid encoded messages. A failure prints seed, try and input: keep it as an example test.
 */
class ProtocolFuzzTest {

    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\"type\"",
            "\"file-start\"", "\"file-end\"", "\"manifest\"", "\"manifest-ack\"", "\"hello\"", "\"ack\"", "\"done\"",
            "\"error\"", "\"batch-end\"", "\"name\"", "\"size\"", "\"files\"", "\"more\"", "\"totalBytes\"",
            "\"bytes\"", "\"offset\"", "\"blocks\"", "\"resume\"", "\"sha256\"", "\"protocol\"", "\"window\"",
            "\"chunkSize\"", "\"totalChunks\"", "\"mtime\"", "\"startOffset\"", "-1", "0", "1", "9223372036854775807",
            "-9223372036854775808", "1e308", "1.5", "null", "true", "false", "\"../x\"", "\"a/b\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"\u202e\"", " ");
    private static final List<String> KEYS = List.of("type", "name", "size", "files", "more", "totalBytes", "bytes",
            "offset", "blocks", "blockSize", "resume", "sha256", "protocol", "window", "chunkSize", "totalChunks",
            "mtime", "startOffset", "code", "message", "by", "reason");
    private static final List<String> VALUES = List.of("file-start", "file-end", "manifest", "manifest-ack", "hello",
            "ack", "done", "error", "batch-end", "batch-done", "cancelled", "sender", "receiver", "../x", "a/b", "",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    private static final String HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** Valid messages of every kind, as this version encodes them: the seeds of the mutations. */
    static List<String> validMessages() {
        List<String> out = new ArrayList<>();
        out.add(ProtocolCodec.encode(new ProtocolCodec.FileStart("dir/a.txt", 10, 1L, 2, 16384, 1_700_000_000_000L,
                null, 4L)));
        out.add(ProtocolCodec.encode(ProtocolCodec.FileStart.browser("photo.jpg", 123456, 8)));
        out.add(ProtocolCodec.encode(new ProtocolCodec.FileEnd(HASH, 10L)));
        out.add(ProtocolCodec.encode(new ProtocolCodec.Hello(2, 16 << 20)));
        out.add(ProtocolCodec.encode(new ProtocolCodec.Ack(65536)));
        out.add(ProtocolCodec.encode(new ProtocolCodec.Done(10, HASH, "dir/a.txt")));
        out.add(ProtocolCodec.encode(new ProtocolCodec.ErrorMessage("disk-full", "no space left")));
        out.add(ProtocolCodec.encode(new ProtocolCodec.Cancelled("sender", "interrupted (SIGINT)")));
        out.add(ProtocolCodec.encode(new ProtocolCodec.BatchEnd(3)));
        out.add(ProtocolCodec.encode(new ProtocolCodec.BatchDone(3, 30)));
        out.addAll(ProtocolCodec.encodeManifest(Manifest.of(List.of(new Manifest.Entry("a", 1, null, null),
                new Manifest.Entry("b/c", 2, HASH, 1_700_000_000_000L))), 60_000));
        out.addAll(ProtocolCodec.encodeManifestAck(List.of(new ProtocolCodec.Resume("b/c", 1, 1, List.of(HASH))),
                60_000));
        return out;
    }

    /** Mutations start from messages the decoder accepts, of every kind. */
    @Test
    void theSamplesAreValid() throws RtcatException {
        for (String text : validMessages()) {
            assertFalse(ProtocolCodec.decode(text) instanceof ProtocolCodec.Unknown, text);
        }
    }

    @Test
    void decodeOfProtocolLikeTextEitherParsesOrRefusesCleanly() {
        Fuzz.forAll("protocol.tokens", Fuzz.tokens(TOKENS, 40), ProtocolFuzzTest::decodeCleanly);
    }

    @Test
    void decodeOfGrammarJsonEitherParsesOrRefusesCleanly() {
        Fuzz.forAll("protocol.json", Fuzz.json(KEYS, VALUES, 3), ProtocolFuzzTest::decodeCleanly);
    }

    @Test
    void decodeOfMutatedMessagesEitherParsesOrRefusesCleanly() {
        Fuzz.forAll("protocol.mutations", Fuzz.mutations(validMessages()), ProtocolFuzzTest::decodeCleanly);
    }

    /** Bytes of valid messages mutated, then decoded as UTF-8 as the data channel does (malformed -> U+FFFD). */
    @Test
    void decodeOfByteMutatedMessagesEitherParsesOrRefusesCleanly() {
        Fuzz.Gen<byte[]> bytes = Fuzz.byteMutations(validMessages().stream().map(Fuzz::utf8).toList());
        Fuzz.forAll("protocol.byte-mutations", bytes.map(b -> new String(b, StandardCharsets.UTF_8)),
                ProtocolFuzzTest::decodeCleanly);
    }

    @Test
    void decodeOfAnyTextEitherParsesOrRefusesCleanly() {
        Fuzz.forAll("protocol.any", Fuzz.strings(255), ProtocolFuzzTest::decodeCleanly);
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

    @Test
    void aNameSafeNameAcceptsNeverLeavesTheDirectory() {
        Fuzz.Gen<String> names = Fuzz.oneOf(
                Fuzz.tokens(List.of("..", ".", "/", "\\", "a", "b.txt", "\u0000", "C:", "~", "\u202e", "\uff0e\uff0e",
                        " ", "%2e%2e"), 8),
                Fuzz.mutations(List.of("a.txt", "dir/sub/b.txt", "../x", "./a", "a/../../b", "C:\\x", "/etc/passwd")),
                Fuzz.strings(300));
        Fuzz.forAll("safe-name", names, ProtocolFuzzTest::staysInTheDirectory);
    }

    private static void staysInTheDirectory(String raw) {
        Path base = Path.of("/srv/inbox");
        try {
            Path target = SafeName.resolve(base, raw);
            assertTrue(target.startsWith(base) && !target.equals(base), target::toString);
        } catch (RtcatException refused) {
            assertEquals(RtcatException.Kind.PROTOCOL, refused.kind());
        }
    }

    @Test
    void printedNamesHaveNoHiddenCharacters() {
        Fuzz.Gen<String> names = Fuzz.oneOf(Fuzz.strings(255), Fuzz.strings(Fuzz.NASTY + "ab", 40));
        Fuzz.forAll("display-name", names, ProtocolFuzzTest::shownWithoutHiddenCharacters);
    }

    private static void shownWithoutHiddenCharacters(String name) {
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
