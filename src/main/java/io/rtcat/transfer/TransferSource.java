package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * Bytes to send: normally of known size and openable any number of times; a pipe
 * ({@link #stdin}) has {@link #UNKNOWN_SIZE} and can be opened once.
 */
public interface TransferSource {

    /** {@link #size()} of a source whose length is known only at its end. */
    long UNKNOWN_SIZE = ProtocolCodec.UNKNOWN_SIZE;

    /** Name offered to the receiver (relative, {@code /}-separated). */
    String name();

    /** Bytes, or {@link #UNKNOWN_SIZE}. */
    long size();

    /** Last-modified time in epoch milliseconds, or a negative number if there is none to preserve. */
    long mtimeMillis();

    /** A fresh channel positioned at the first byte. The caller closes it. */
    ReadableByteChannel open() throws IOException;

    /**
     * Whether the sender reads the whole source once before sending it to list its SHA-256: that lets a
     * receiver resume a partial copy and tells a source that changed in between. The streamed hash verifies
     * every byte either way.
     */
    default boolean hashedUpFront() {
        return size() >= 0;
    }

    /** A regular file, offered under its file name; throws {@code NO_INPUT} if it cannot be read. */
    static TransferSource ofFile(Path file) throws RtcatException {
        return FileSource.of(file);
    }

    /**
     * The files named by {@code paths}, directories expanded recursively, sorted by offered name.
     *
     * <ul>
     *   <li>A file given directly is offered under its file name; a directory's files are offered as
     *       {@code dirname/sub/file}, keeping the directory's own name (like {@code scp -r}).
     *   <li>A path given directly is followed if it is a symbolic link. Inside directories, symbolic
     *       links to directories are not followed; a symbolic link to a regular file is sent as a regular
     *       file with the target's content; dangling links and links to anything else are skipped.
     *   <li>Special files (devices, FIFOs, sockets) inside directories are skipped silently.
     *   <li>Empty directories are not transferred (the protocol only carries files).
     * </ul>
     *
     * @throws RtcatException {@code NO_INPUT} if a path is missing or unreadable (or a path given directly
     *     is not a regular file or directory), {@code USAGE} if two files would get the same name, one
     *     name would be a directory of another, or a name is not portable
     */
    static List<TransferSource> ofPaths(List<Path> paths) throws RtcatException {
        return SourceTree.expand(paths);
    }

    /**
     * The bytes of {@code in} (standard input), offered as {@code name}; size unknown until the end.
     * Can be opened once; it is never resumed and never needs a second read.
     */
    static TransferSource stdin(InputStream in, String name) {
        return new StreamSource(in, name);
    }

    /** {@code size} deterministic pseudo-random bytes derived from {@code seed}, generated fast (benchmarks). */
    static TransferSource generated(String name, long size, long seed) {
        return new GeneratedSource(name, size, seed);
    }
}
