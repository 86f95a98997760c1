package io.rtcat.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden temporary file an incoming file is written to, next to its final target so the final
 * rename stays on one file system. It only stores (the receiver hashes what arrives). Either committed and
 * placed, or discarded without a trace (including directories it had to create).
 */
final class PartFile {

    /** Test seam: runs before each write, e.g. to simulate a slow or full disk. */
    interface WriteHook {
        void beforeWrite(long offset, int length) throws IOException;
    }

    static final String MARKER = ".rtcat-part-";

    /**
     * Temp files still on disk. Ctrl-C or SIGTERM ends the JVM without unwinding the receiver, so a
     * shutdown hook deletes them: an interrupted transfer leaves nothing half-written behind.
     */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : LIVE) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // exiting anyway; the name marks it as a leftover
                }
            }
        }, "rtcat-part-cleanup"));
    }
    private static final int MAX_BASE_BYTES = 200; // keeps the temp name under the usual 255-byte limit

    private final Path path;
    private final FileChannel out;
    private final Deque<Path> createdDirectories;
    private final WriteHook hook;
    private long bytes;

    private PartFile(Path path, FileChannel out, Deque<Path> createdDirectories, WriteHook hook) {
        this.path = path;
        this.out = out;
        this.createdDirectories = createdDirectories;
        this.hook = hook;
    }

    /** Creates the directories leading to {@code target} and a fresh temp file beside it. */
    static PartFile createFor(Path target, WriteHook hook) throws IOException {
        Deque<Path> created = createParents(target.getParent());
        try {
            for (int attempt = 0; ; attempt++) {
                Path path = target.resolveSibling(tempName(target.getFileName().toString()));
                try {
                    FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    LIVE.add(path);
                    return new PartFile(path, out, created, hook);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 3) {
                        throw e;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            removeDirectories(created);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    long bytes() {
        return bytes;
    }

    void write(byte[] data) throws IOException {
        if (hook != null) {
            hook.beforeWrite(bytes, data.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        bytes += data.length;
    }

    /** Closes the file, made durable first if {@code durable}, stamping {@code mtimeMillis} if not null. */
    void commit(Long mtimeMillis, boolean durable) throws IOException {
        if (durable) {
            out.force(true);
        }
        out.close();
        if (mtimeMillis != null) {
            Files.setLastModifiedTime(path, FileTime.fromMillis(mtimeMillis));
        }
    }

    /** Deletes the temp file and any directories created for it; never throws. */
    void discard() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is deleted next anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // nothing more can be done; the name marks it as a leftover
        }
        LIVE.remove(path);
        removeDirectories(createdDirectories);
    }

    /** The temp file has been placed under its final name (and removed); stop tracking it. */
    void placed() {
        LIVE.remove(path);
    }

    private static String tempName(String fileName) {
        String base = fileName.getBytes(StandardCharsets.UTF_8).length <= MAX_BASE_BYTES ? fileName : "";
        return "." + base + MARKER + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** Like {@link Files#createDirectories} but remembers which ones it made, deepest first. */
    private static Deque<Path> createParents(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        Deque<Path> created = new ArrayDeque<>();
        try {
            while (!missing.isEmpty()) {
                Path p = missing.pop();
                try {
                    Files.createDirectory(p);
                    created.push(p);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(p)) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            removeDirectories(created);
            throw e;
        }
        return created;
    }

    private static void removeDirectories(Deque<Path> deepestFirst) {
        for (Path dir : deepestFirst) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // not empty (someone else put something there) or gone: leave it
            }
        }
    }
}
