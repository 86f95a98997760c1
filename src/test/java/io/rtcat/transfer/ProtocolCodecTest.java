package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.transfer.ProtocolCodec.Ack;
import io.rtcat.transfer.ProtocolCodec.Done;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import io.rtcat.transfer.ProtocolCodec.Hello;
import io.rtcat.transfer.ProtocolCodec.Message;
import io.rtcat.transfer.ProtocolCodec.Unknown;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProtocolCodecTest {

    private static final String SHA = "ab".repeat(32);

    @Test
    void parsesMinimalBrowserFileStart() throws Exception {
        Message m = ProtocolCodec.decode("{\"type\":\"file-start\",\"name\":\"a.txt\",\"size\":5,\"totalChunks\":1}");
        assertEquals(FileStart.browser("a.txt", 5, 1), m);
    }

    @Test
    void parsesMinimalBrowserFileEnd() throws Exception {
        assertEquals(new FileEnd(null, null), ProtocolCodec.decode("{\"type\":\"file-end\"}"));
    }

    @Test
    void parsesFullFileStart() throws Exception {
        Message m = ProtocolCodec.decode("{\"type\":\"file-start\",\"name\":\"d/b.bin\",\"size\":70000,"
                + "\"totalChunks\":2,\"protocol\":1,\"chunkSize\":65536,\"mtime\":1700000000123,\"sha256\":\""
                + SHA.toUpperCase() + "\"}");
        assertEquals(new FileStart("d/b.bin", 70000, 2L, 1, 65536, 1700000000123L, SHA), m);
    }

    @Test
    void ignoresUnknownFields() throws Exception {
        Message m = ProtocolCodec.decode("{\"type\":\"ack\",\"bytes\":42,\"future\":{\"x\":[1,2]},\"y\":null}");
        assertEquals(new Ack(42), m);
    }

    @Test
    void unknownTypeDecodesToUnknown() throws Exception {
        assertEquals(new Unknown("pause"), ProtocolCodec.decode("{\"type\":\"pause\",\"for\":3}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not json", "{", "[]", "42", "\"file-start\"", "{\"name\":\"a\"}", "{\"type\":7}",
        "{\"type\":\"file-start\",\"size\":1}",
        "{\"type\":\"file-start\",\"name\":\"a\"}",
        "{\"type\":\"file-start\",\"name\":\"a\",\"size\":-2}",
        "{\"type\":\"file-start\",\"name\":\"a\",\"size\":1,\"offset\":-1}",
        "{\"type\":\"manifest\",\"files\":[{\"size\":1}]}",
        "{\"type\":\"manifest\",\"files\":7}",
        "{\"type\":\"manifest-ack\",\"resume\":[{\"name\":\"a\",\"offset\":1,\"blockSize\":0,\"blocks\":[]}]}",
        "{\"type\":\"batch-end\"}",
        "{\"type\":\"file-start\",\"name\":\"a\",\"size\":\"12\"}",
        "{\"type\":\"file-start\",\"name\":\"a\",\"size\":1.5}",
        "{\"type\":\"file-start\",\"name\":5,\"size\":1}",
        "{\"type\":\"file-end\",\"sha256\":\"xyz\"}",
        "{\"type\":\"hello\",\"protocol\":1}",
        "{\"type\":\"ack\"}",
        "{\"type\":\"done\",\"bytes\":1}",
    })
    void malformedOrInvalidIsProtocolError(String text) {
        RtcatException e = assertThrows(RtcatException.class, () -> ProtocolCodec.decode(text));
        assertEquals(Kind.PROTOCOL, e.kind());
        assertTrue(Character.isLowerCase(e.getMessage().charAt(0)), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** Entries have no type of their own: a bad one is named after the message it came in. */
    @Test
    void aBadEntryIsNamedAfterItsMessage() {
        RtcatException ack = assertThrows(RtcatException.class, () -> ProtocolCodec.decode(
                "{\"type\":\"manifest-ack\",\"resume\":[{\"offset\":1,\"blockSize\":4,\"blocks\":[]}]}"));
        assertEquals("manifest-ack message without \"name\"", ack.getMessage());
        RtcatException manifest = assertThrows(RtcatException.class, () -> ProtocolCodec.decode(
                "{\"type\":\"manifest\",\"files\":[{\"name\":\"a\"}]}"));
        assertEquals("manifest message without \"size\"", manifest.getMessage());
    }

    @Test
    void roundTripsEveryMessage() throws Exception {
        List<Message> messages = List.of(
                new FileStart("résumé 日本.txt", 123456789012L, 1884L, 1, 65536, 1700000000000L, null),
                FileStart.browser("a", 0, 0),
                new FileEnd(SHA, 10L),
                new FileEnd(null, null),
                new Hello(1, 16L << 20),
                new Ack(1L << 40),
                new Done(5, SHA, "x (1).txt"),
                new ErrorMessage("exists", "cannot create x: file exists"),
                new Unknown("future-thing"),
                new FileStart("p", -1, null, 1, 65536, null, null, null),
                new FileStart("r.bin", 100, 1L, 1, 65536, 5L, null, 40L),
                new ProtocolCodec.ManifestPage(List.of(new Manifest.Entry("d/a.txt", 3, SHA, 17L),
                        new Manifest.Entry("-", -1, null, null)), -1, true),
                new ProtocolCodec.ManifestAck(List.of(new ProtocolCodec.Resume("d/a.txt", 2, 1 << 20, List.of(SHA))),
                        false),
                new ProtocolCodec.BatchEnd(3),
                new ProtocolCodec.BatchDone(3, 1234));
        for (Message m : messages) {
            assertEquals(m, ProtocolCodec.decode(ProtocolCodec.encode(m)), m.toString());
        }
    }

    @Test
    void encodesBrowserCompatibleFileStart() throws Exception {
        String json = ProtocolCodec.encode(new FileStart("a.txt", 5, 1L, 1, 65536, null, null));
        assertEquals("{\"type\":\"file-start\",\"name\":\"a.txt\",\"size\":5,\"totalChunks\":1,"
                + "\"protocol\":1,\"chunkSize\":65536}", json);
    }

    @Test
    void unknownSizeIsAllowedInFileStart() throws Exception {
        FileStart m = (FileStart) ProtocolCodec.decode("{\"type\":\"file-start\",\"name\":\"a\",\"size\":-1}");
        assertEquals(ProtocolCodec.UNKNOWN_SIZE, m.size());
        assertEquals(0, m.startOffset());
    }

    @Test
    void largeManifestIsPaged() throws Exception {
        List<Manifest.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            entries.add(new Manifest.Entry("dir/file-" + i + ".txt", i, SHA, 1L));
        }
        List<String> pages = ProtocolCodec.encodeManifest(Manifest.of(entries), 60_000);
        assertTrue(pages.size() > 1);
        List<Manifest.Entry> decoded = new java.util.ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            assertTrue(pages.get(i).length() <= 60_000);
            ProtocolCodec.ManifestPage page = (ProtocolCodec.ManifestPage) ProtocolCodec.decode(pages.get(i));
            assertEquals(i < pages.size() - 1, page.more());
            decoded.addAll(page.files());
        }
        assertEquals(entries, decoded);
    }

    @Test
    void errorMessageToleratesMissingFields() throws Exception {
        ErrorMessage e = assertInstanceOf(ErrorMessage.class, ProtocolCodec.decode("{\"type\":\"error\"}"));
        assertEquals("unknown", e.code());
        assertEquals("no reason given", e.message());
    }

    @Test
    void totalChunksRoundsUp() {
        assertEquals(0, ProtocolCodec.totalChunks(0, 65536));
        assertEquals(1, ProtocolCodec.totalChunks(1, 65536));
        assertEquals(1, ProtocolCodec.totalChunks(65536, 65536));
        assertEquals(2, ProtocolCodec.totalChunks(65537, 65536));
    }

    @Test
    void echoEscapesControlCharactersAndTruncates() {
        assertEquals("a\\u000ab\\u0000", ProtocolCodec.echo("a\nb\0"));
        assertTrue(ProtocolCodec.echo("x".repeat(500)).length() < 100);
    }

    @Test
    void cancelRoundTripsAndDefaultsWhatIsMissing() throws Exception {
        ProtocolCodec.Cancelled c = new ProtocolCodec.Cancelled(ProtocolCodec.SENDER, "interrupted");
        String text = ProtocolCodec.encode(c);
        assertEquals("{\"type\":\"cancel\",\"by\":\"sender\",\"reason\":\"interrupted\"}", text);
        assertEquals(c, ProtocolCodec.decode(text));
        assertEquals(new ProtocolCodec.Cancelled("peer", "no reason given"), ProtocolCodec.decode("{\"type\":\"cancel\"}"));
    }
}
