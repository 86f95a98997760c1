package io.rtcat.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.json.Mappers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The deterministic temp file of a batch receive: {@code .<name>.rtcat-part} next to the target,
 * with a sidecar {@code .<name>.rtcat-part.json} holding {@code {"size":N,"sha256":HEX}} of the
 * offered file. Unlike {@link PartFile} it survives failures (and is not deleted by the shutdown
 * hook) so a later transfer of the same content can resume it.
 */
final class ResumablePart {

    static final String SUFFIX = ".rtcat-part";
    static final String SIDECAR_SUFFIX = SUFFIX + ".json";
    private static final int MAX_BASE_BYTES = 200; // keeps the names under the usual 255-byte limit
    private static final int MAX_BLOCKS = 512; // keeps one resume entry well inside one message

    final Path path;
    final Path sidecar;

    private ResumablePart(Path path, Path sidecar) {
        this.path = path;
        this.sidecar = sidecar;
    }

    static ResumablePart forTarget(Path target) {
        String fileName = target.getFileName().toString();
        String base = fileName.getBytes(StandardCharsets.UTF_8).length <= MAX_BASE_BYTES
                ? fileName
                : "rtcat-" + HexFormat.of().formatHex(Sha256.newDigest().digest(
                        fileName.getBytes(StandardCharsets.UTF_8)), 0, 8);
        return new ResumablePart(target.resolveSibling("." + base + SUFFIX),
                target.resolveSibling("." + base + SIDECAR_SUFFIX));
    }

    /** Length of the partial file if its sidecar describes exactly this content, else -1. */
    long matchingLength(long size, String sha256) {
        try {
            BasicFileAttributes part = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes side = Files.readAttributes(sidecar, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!part.isRegularFile() || !side.isRegularFile() || side.size() > 4096 || part.size() > size) {
                return -1;
            }
            JsonNode node = Mappers.JSON.readTree(Files.readString(sidecar));
            if (node != null && node.path("size").asLong(-2) == size && sha256.equals(node.path("sha256").asText())) {
                return part.size();
            }
        } catch (IOException | RuntimeException e) {
            // missing or unreadable: not resumable
        }
        return -1;
    }

    boolean exists() {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.exists(sidecar, LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes the part and its sidecar (a link planted under either name is removed, not followed). */
    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // opening it later truncates it anyway
        }
        try {
            Files.deleteIfExists(sidecar);
        } catch (IOException ignored) {
            // a stale sidecar only prevents resuming
        }
    }

    /** Block size used to describe a partial file of {@code length} bytes. */
    static int blockSize(long length) {
        long size = BatchReceiver.RESUME_BLOCK_SIZE;
        while (length / size >= MAX_BLOCKS && size < (1 << 30)) {
            size *= 2;
        }
        return (int) size;
    }

    /** SHA-256 of each block of the first {@code length} bytes of {@code file}, the last one possibly short. */
    static List<String> blockHashes(Path file, long length, int blockSize) throws IOException {
        List<String> hashes = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(blockSize, 1 << 20));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long position = 0;
            while (position < length) {
                long end = Math.min(position + blockSize, length);
                MessageDigest digest = Sha256.newDigest();
                while (position < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int n = in.read(buffer, position);
                    if (n < 0) {
                        throw new IOException(file + " shrank while being read");
                    }
                    digest.update(buffer.array(), 0, n);
                    position += n;
                }
                hashes.add(Sha256.hex(digest));
            }
        }
        return hashes;
    }

    /** Lowercase hex SHA-256 of {@code file} (not following a link). */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (in.read(buffer.clear()) >= 0) {
                digest.update(buffer.array(), 0, buffer.position());
            }
        }
        return Sha256.hex(digest);
    }

    /**
     * Opens the part for writing at {@code offset}: truncates it there and feeds the kept prefix into
     * {@code digest}. Writes the sidecar first when the content is resumable ({@code sha256} not null).
     */
    FileChannel open(long offset, long size, String sha256, MessageDigest digest) throws IOException {
        if (sha256 != null && size >= 0) {
            String json = Mappers.JSON.createObjectNode().put("size", size).put("sha256", sha256).toString();
            try (FileChannel side = FileChannel.open(sidecar, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                side.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
                side.force(true);
            }
        } else {
            Files.deleteIfExists(sidecar);
        }
        FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            if (out.size() < offset) {
                throw new IOException("partial file " + path + " is shorter than the resume offset " + offset);
            }
            out.truncate(offset);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long position = 0;
            while (position < offset) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), offset - position));
                int n = out.read(buffer, position);
                if (n < 0) {
                    throw new IOException("partial file " + path + " shrank while being read");
                }
                digest.update(buffer.array(), 0, n);
                position += n;
            }
            out.position(offset);
            return out;
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Makes the content durable and closes it, stamping {@code mtimeMillis} if not null. */
    void commit(FileChannel out, Long mtimeMillis) throws IOException {
        out.force(true);
        out.close();
        if (mtimeMillis != null) {
            Files.setLastModifiedTime(path, FileTime.fromMillis(mtimeMillis));
        }
    }
}
