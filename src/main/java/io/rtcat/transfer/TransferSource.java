package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/** Bytes of known size to send, opened once per transfer. */
public interface TransferSource {

    /** Name offered to the receiver (relative, {@code /}-separated). */
    String name();

    long size();

    /** Last-modified time in epoch milliseconds, or a negative number if there is none to preserve. */
    long mtimeMillis();

    /** A fresh channel positioned at the first byte. The caller closes it. */
    ReadableByteChannel open() throws IOException;

    /** A regular file, offered under its file name; throws {@code NO_INPUT} if it cannot be read. */
    static TransferSource ofFile(Path file) throws RtcatException {
        return FileSource.of(file);
    }

    /** {@code size} deterministic pseudo-random bytes derived from {@code seed}, generated fast (benchmarks). */
    static TransferSource generated(String name, long size, long seed) {
        return new GeneratedSource(name, size, seed);
    }
}
