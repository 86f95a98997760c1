package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchSourceTest {

    @TempDir
    Path dir;

    @Test
    void directoriesKeepTheirNameAndLinksAreHandled() throws Exception {
        Path top = Files.createDirectories(dir.resolve("top/sub"));
        Files.writeString(dir.resolve("top/sub/z.txt"), "z");
        Files.writeString(dir.resolve("top/a.txt"), "a");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "s");
        Files.createSymbolicLink(dir.resolve("top/dirlink"), outside); // not followed
        // Before: sent, so a tree with a planted link to ~/.ssh/id_rsa sent the key. Now only links inside go.
        Files.createSymbolicLink(dir.resolve("top/filelink"), outside.resolve("secret.txt")); // leads out: skipped
        Files.createSymbolicLink(dir.resolve("top/sub/up"), Path.of("../../outside/secret.txt")); // also out
        Files.createSymbolicLink(dir.resolve("top/inlink"), Path.of("sub/z.txt")); // inside: sent as a file
        Files.createSymbolicLink(dir.resolve("top/dangling"), dir.resolve("nope")); // skipped
        List<TransferSource> sources = TransferSource.ofPaths(List.of(dir.resolve("top")));
        assertEquals(List.of("top/a.txt", "top/inlink", "top/sub/z.txt"),
                sources.stream().map(TransferSource::name).toList());
        assertEquals(1, sources.get(1).size());
        assertTrue(top.toFile().exists());
    }

    @Test
    void duplicateNamesAreAUsageError() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/x.txt"), "1");
        Files.writeString(dir.resolve("b/x.txt"), "2");
        RtcatException e = assertThrows(RtcatException.class,
                () -> TransferSource.ofPaths(List.of(dir.resolve("a/x.txt"), dir.resolve("b/x.txt"))));
        assertEquals(Kind.USAGE, e.kind());
    }

    @Test
    void missingPathIsNoInput() {
        RtcatException e = assertThrows(RtcatException.class,
                () -> TransferSource.ofPaths(List.of(dir.resolve("missing"))));
        assertEquals(Kind.NO_INPUT, e.kind());
    }

    @Test
    void stdinHasUnknownSizeAndOpensOnce() throws Exception {
        TransferSource s = TransferSource.stdin(new ByteArrayInputStream(new byte[] {1, 2, 3}), "p");
        assertEquals(TransferSource.UNKNOWN_SIZE, s.size());
        try (ReadableByteChannel in = s.open()) {
            ByteBuffer b = ByteBuffer.allocate(10);
            while (in.read(b) >= 0) {
                // read all
            }
            assertEquals(3, b.position());
        }
        assertThrows(IOException.class, s::open);
    }
}
