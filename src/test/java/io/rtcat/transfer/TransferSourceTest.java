package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransferSourceTest {

    @TempDir
    Path dir;

    @Test
    void fileSourceDescribesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "twelve bytes");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_234_567_890_000L));
        TransferSource source = TransferSource.ofFile(file);
        assertEquals("notes.txt", source.name());
        assertEquals(12, source.size());
        assertEquals(1_234_567_890_000L, source.mtimeMillis());
        assertArrayEquals(Files.readAllBytes(file), readAll(source, 5));
    }

    @Test
    void missingFileIsNoInput() {
        RtcatException e = assertThrows(RtcatException.class, () -> TransferSource.ofFile(dir.resolve("nope.bin")));
        assertEquals(Kind.NO_INPUT, e.kind());
        assertEquals("cannot read " + dir.resolve("nope.bin") + ": no such file", e.getMessage());
    }

    @Test
    void directoryIsNoInput() {
        RtcatException e = assertThrows(RtcatException.class, () -> TransferSource.ofFile(dir));
        assertEquals(Kind.NO_INPUT, e.kind());
        assertTrue(e.getMessage().endsWith(": is a directory"), e.getMessage());
    }

    @Test
    void onlyFilesAreHashedUpFront() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertTrue(TransferSource.ofFile(file).hashedUpFront());
        assertFalse(TransferSource.generated("g.bin", 10, 1).hashedUpFront());
        assertFalse(TransferSource.stdin(new java.io.ByteArrayInputStream(new byte[0]), "-").hashedUpFront());
    }

    @Test
    void generatedIsDeterministicWhateverTheReadSize() throws Exception {
        TransferSource source = TransferSource.generated("g.bin", 300_001, 42);
        byte[] first = readAll(source, 7);
        assertEquals(300_001, first.length);
        assertArrayEquals(first, readAll(source, 65536));
        assertFalse(java.util.Arrays.equals(first, readAll(TransferSource.generated("g.bin", 300_001, 43), 4096)));
        assertTrue(source.mtimeMillis() < 0);
    }

    @Test
    void generatedIsFastEnoughForBenchmarks() throws Exception {
        long size = 512L * 1024 * 1024;
        TransferSource source = TransferSource.generated("fast.bin", size, 1);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long start = System.nanoTime();
        long total = 0;
        try (ReadableByteChannel in = source.open()) {
            int n;
            while ((n = in.read(buffer.clear())) >= 0) {
                total += n;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(size, total);
        // Generous bound so slow CI machines pass; typically well above 1 GB/s.
        assertTrue(size / seconds > 200e6, String.format("only %.0f MB/s", size / seconds / 1e6));
    }

    private static byte[] readAll(TransferSource source, int readSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(readSize);
        try (ReadableByteChannel in = source.open()) {
            while (in.read(buffer.clear()) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
            }
        }
        return out.toByteArray();
    }
}
