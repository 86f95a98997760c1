package io.rtcat.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.json.Mappers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * JSON text messages of file transfer protocol v1. Pure: no I/O, no state.
 *
 * <p>The sender-side messages are a superset of the common browser tutorial protocol
 * ({@code file-start}, binary chunks, {@code file-end}); every rtcat extension field is optional
 * on input. Unknown fields are ignored and unknown types decode to {@link Unknown}.
 *
 * <p>Batch extensions, used only after the receiver said {@code hello}: {@code manifest} (paged
 * with {@code "more":true} so no message exceeds the data channel's limit), {@code manifest-ack}
 * (with resume information), {@code offset} in {@code file-start}, {@code batch-end} and
 * {@code batch-done}. A {@code file-start} may announce {@code "size":-1} (unknown, e.g. a pipe);
 * its {@code file-end} then carries the real size.
 *
 * <p>Either side may send {@code cancel} ({@link Cancelled}) before it closes on purpose (Ctrl-C, SIGTERM, a
 * closed output), so the other side stops at once instead of waiting for a timeout.
 */
public final class ProtocolCodec {

    public static final int VERSION = 1;
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;
    public static final int MAX_CHUNK_SIZE = 256 * 1024;

    /** Error codes carried by {@link ErrorMessage}. */
    public static final String CODE_EXISTS = "exists";
    public static final String CODE_CHECKSUM = "checksum";
    public static final String CODE_SIZE = "size";
    public static final String CODE_IO = "io";
    public static final String CODE_PROTOCOL = "protocol";
    public static final String CODE_NAME = "name";
    public static final String CODE_DECLINED = "declined";
    /** Sent in an {@link ErrorMessage} right after {@link Cancelled}, for peers that predate {@code cancel}. */
    public static final String CODE_CANCELLED = "cancelled";
    /** {@link Cancelled#by()} values. */
    public static final String SENDER = "sender";
    public static final String RECEIVER = "receiver";

    /** {@code size} of a file whose length is not known in advance (a pipe). */
    public static final long UNKNOWN_SIZE = -1;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MAX_ECHOED_CHARS = 60;

    private ProtocolCodec() {}

    /** Any decoded text message. */
    public sealed interface Message permits FileStart, FileEnd, Hello, Ack, Done, ErrorMessage, Unknown,
            ManifestPage, ManifestAck, BatchEnd, BatchDone, Cancelled {}

    /**
     * Sender announces a file. Boxed fields are null when absent (browser form).
     *
     * @param mtimeMillis last-modified time in epoch milliseconds
     * @param sha256 lowercase hex; normally sent in {@link FileEnd} instead
     */
    public record FileStart(String name, long size, Long totalChunks, Integer protocol, Integer chunkSize,
            Long mtimeMillis, String sha256, Long offset) implements Message {

        /** Without {@code offset}: the file starts at its first byte. */
        public FileStart(String name, long size, Long totalChunks, Integer protocol, Integer chunkSize,
                Long mtimeMillis, String sha256) {
            this(name, size, totalChunks, protocol, chunkSize, mtimeMillis, sha256, null);
        }

        /** First byte that follows (resume); 0 when absent. */
        public long startOffset() {
            return offset == null ? 0 : offset;
        }

        /** The minimal browser form. */
        public static FileStart browser(String name, long size, long totalChunks) {
            return new FileStart(name, size, totalChunks, null, null, null, null);
        }
    }

    /** All chunks were sent. rtcat adds the whole-content hash and the size; a browser sends neither. */
    public record FileEnd(String sha256, Long size) implements Message {}

    /** Receiver is rtcat and grants a credit window of {@code window} unacknowledged bytes. */
    public record Hello(int protocol, long window) implements Message {}

    /** Cumulative bytes the receiver has handed to its writer. */
    public record Ack(long bytes) implements Message {}

    /** Receiver verified, synced and renamed the file; {@code name} is the final relative name. */
    public record Done(long bytes, String sha256, String name) implements Message {}

    /** Receiver refused or failed; {@code code} is one of the {@code CODE_*} constants or a future one. */
    public record ErrorMessage(String code, String message) implements Message {}

    /**
     * The peer stopped on purpose and is about to close: {@code by} is {@link #SENDER} or {@link #RECEIVER},
     * {@code reason} a short phrase such as "interrupted (SIGINT)" or "its output was closed".
     */
    public record Cancelled(String by, String reason) implements Message {}

    /** A message type this version does not know; callers ignore it. */
    public record Unknown(String type) implements Message {}

    /**
     * One page of the sender's {@link Manifest}; {@code more} says further pages follow.
     *
     * @param totalBytes sum of the known sizes, or {@link #UNKNOWN_SIZE} if any size is unknown
     */
    public record ManifestPage(List<Manifest.Entry> files, long totalBytes, boolean more) implements Message {
        public ManifestPage {
            files = List.copyOf(files);
        }
    }

    /**
     * What the receiver already holds of one file from an interrupted earlier transfer.
     *
     * @param offset length of the receiver's partial file
     * @param blockSize bytes per hashed block
     * @param blocks lowercase hex SHA-256 of each block of the partial file, the last one possibly short
     */
    public record Resume(String name, long offset, int blockSize, List<String> blocks) {
        public Resume {
            blocks = List.copyOf(blocks);
        }
    }

    /** Receiver accepted the manifest; one page of resume information, {@code more} says further pages follow. */
    public record ManifestAck(List<Resume> resume, boolean more) implements Message {
        public ManifestAck {
            resume = List.copyOf(resume);
        }
    }

    /** Sender has sent all {@code files} files of the batch. */
    public record BatchEnd(int files) implements Message {}

    /** Receiver saved all {@code files} files, {@code bytes} bytes in all. */
    public record BatchDone(int files, long bytes) implements Message {}

    /** Number of binary chunks for {@code size} bytes cut into {@code chunkSize} pieces. */
    public static long totalChunks(long size, int chunkSize) {
        return size == 0 ? 0 : (size - 1) / chunkSize + 1;
    }

    public static String encode(Message message) {
        ObjectNode node = Mappers.JSON.createObjectNode();
        if (message instanceof FileStart m) {
            node.put("type", "file-start").put("name", m.name()).put("size", m.size());
            putIfPresent(node, "totalChunks", m.totalChunks());
            putIfPresent(node, "protocol", m.protocol() == null ? null : m.protocol().longValue());
            putIfPresent(node, "chunkSize", m.chunkSize() == null ? null : m.chunkSize().longValue());
            putIfPresent(node, "mtime", m.mtimeMillis());
            putIfPresent(node, "sha256", m.sha256());
            putIfPresent(node, "offset", m.offset());
        } else if (message instanceof FileEnd m) {
            node.put("type", "file-end");
            putIfPresent(node, "sha256", m.sha256());
            putIfPresent(node, "size", m.size());
        } else if (message instanceof Hello m) {
            node.put("type", "hello").put("protocol", m.protocol()).put("window", m.window());
        } else if (message instanceof Ack m) {
            node.put("type", "ack").put("bytes", m.bytes());
        } else if (message instanceof Done m) {
            node.put("type", "done").put("bytes", m.bytes()).put("sha256", m.sha256()).put("name", m.name());
        } else if (message instanceof ErrorMessage m) {
            node.put("type", "error").put("code", m.code()).put("message", m.message());
        } else if (message instanceof Cancelled m) {
            node.put("type", "cancel").put("by", m.by()).put("reason", m.reason());
        } else if (message instanceof Unknown m) {
            node.put("type", m.type());
        } else if (message instanceof ManifestPage m) {
            node.put("type", "manifest");
            ArrayNode files = node.putArray("files");
            for (Manifest.Entry e : m.files()) {
                ObjectNode entry = files.addObject().put("name", e.name()).put("size", e.size());
                putIfPresent(entry, "sha256", e.sha256());
                putIfPresent(entry, "mtime", e.mtimeMillis());
            }
            node.put("totalBytes", m.totalBytes());
            if (m.more()) {
                node.put("more", true);
            }
        } else if (message instanceof ManifestAck m) {
            node.put("type", "manifest-ack");
            ArrayNode resume = node.putArray("resume");
            for (Resume r : m.resume()) {
                ObjectNode entry = resume.addObject().put("name", r.name()).put("offset", r.offset())
                        .put("blockSize", r.blockSize());
                ArrayNode blocks = entry.putArray("blocks");
                r.blocks().forEach(blocks::add);
            }
            if (m.more()) {
                node.put("more", true);
            }
        } else if (message instanceof BatchEnd m) {
            node.put("type", "batch-end").put("files", m.files());
        } else if (message instanceof BatchDone m) {
            node.put("type", "batch-done").put("files", m.files()).put("bytes", m.bytes());
        } else {
            throw new IllegalArgumentException("no encoding for " + message.getClass().getSimpleName());
        }
        return node.toString(); // ObjectNode.toString() renders valid JSON
    }

    /** Parses one text message; malformed or invalid messages throw {@link Kind#PROTOCOL}. */
    public static Message decode(String text) throws RtcatException {
        JsonNode root;
        try {
            root = Mappers.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw protocol("malformed message from peer: " + echo(text));
        }
        if (root == null || !root.isObject()) {
            throw protocol("malformed message from peer: " + echo(text));
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw protocol("message from peer has no type: " + echo(text));
        }
        return switch (type.asText()) {
            case "file-start" -> new FileStart(
                    requiredText(root, "name"),
                    requiredSize(root, "size"),
                    optionalCount(root, "totalChunks"),
                    optionalInt(root, "protocol"),
                    optionalInt(root, "chunkSize"),
                    optionalLong(root, "mtime"),
                    optionalSha256(root, "sha256"),
                    optionalCount(root, "offset"));
            case "file-end" -> new FileEnd(optionalSha256(root, "sha256"), optionalCount(root, "size"));
            case "hello" -> new Hello(requiredInt(root, "protocol"), requiredCount(root, "window"));
            case "ack" -> new Ack(requiredCount(root, "bytes"));
            case "done" -> new Done(requiredCount(root, "bytes"), requiredSha256(root, "sha256"),
                    optionalText(root, "name"));
            case "error" -> new ErrorMessage(optionalTextOr(root, "code", "unknown"),
                    optionalTextOr(root, "message", "no reason given"));
            case "manifest" -> decodeManifest(root);
            case "manifest-ack" -> decodeManifestAck(root);
            case "batch-end" -> new BatchEnd(requiredInt(root, "files"));
            case "batch-done" -> new BatchDone(requiredInt(root, "files"), requiredCount(root, "bytes"));
            case "cancel" -> new Cancelled(optionalTextOr(root, "by", "peer"), optionalTextOr(root, "reason",
                    "no reason given"));
            default -> new Unknown(type.asText());
        };
    }

    /**
     * Encodes {@code manifest} as one or more {@code manifest} messages of at most about
     * {@code maxBytes} UTF-8 bytes each (a single entry larger than that still gets its own page).
     */
    public static List<String> encodeManifest(Manifest manifest, int maxBytes) {
        List<String> pages = new ArrayList<>();
        List<Manifest.Entry> page = new ArrayList<>();
        int pageBytes = 0;
        for (Manifest.Entry entry : manifest.files()) {
            int entryBytes = utf8Length(encode(new ManifestPage(List.of(entry), manifest.totalBytes(), true)));
            if (!page.isEmpty() && pageBytes + entryBytes > maxBytes) {
                pages.add(encode(new ManifestPage(page, manifest.totalBytes(), true)));
                page = new ArrayList<>();
                pageBytes = 0;
            }
            page.add(entry);
            pageBytes += entryBytes;
        }
        pages.add(encode(new ManifestPage(page, manifest.totalBytes(), false)));
        return pages;
    }

    /** Like {@link #encodeManifest}: the resume list as one or more {@code manifest-ack} messages. */
    public static List<String> encodeManifestAck(List<Resume> resume, int maxBytes) {
        List<String> pages = new ArrayList<>();
        List<Resume> page = new ArrayList<>();
        int pageBytes = 0;
        for (Resume r : resume) {
            int entryBytes = utf8Length(encode(new ManifestAck(List.of(r), true)));
            if (!page.isEmpty() && pageBytes + entryBytes > maxBytes) {
                pages.add(encode(new ManifestAck(page, true)));
                page = new ArrayList<>();
                pageBytes = 0;
            }
            page.add(r);
            pageBytes += entryBytes;
        }
        pages.add(encode(new ManifestAck(page, false)));
        return pages;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static ManifestPage decodeManifest(JsonNode root) throws RtcatException {
        JsonNode files = root.get("files");
        if (files == null || !files.isArray()) {
            throw protocol("manifest message without a \"files\" list");
        }
        List<Manifest.Entry> entries = new ArrayList<>(files.size());
        for (JsonNode file : files) {
            if (!file.isObject()) {
                throw protocol("manifest message has a malformed entry: " + echo(file.toString()));
            }
            JsonNode entry = entryOf(file, "manifest");
            entries.add(new Manifest.Entry(requiredText(entry, "name"), requiredSize(entry, "size"),
                    optionalSha256(entry, "sha256"), optionalLong(entry, "mtime")));
        }
        Long total = optionalLong(root, "totalBytes");
        return new ManifestPage(entries, total == null || total < 0 ? UNKNOWN_SIZE : total,
                optionalBoolean(root, "more"));
    }

    private static ManifestAck decodeManifestAck(JsonNode root) throws RtcatException {
        JsonNode resume = root.get("resume");
        List<Resume> entries = new ArrayList<>();
        if (resume != null && !resume.isNull()) {
            if (!resume.isArray()) {
                throw protocol("manifest-ack message has a non-list \"resume\"");
            }
            for (JsonNode node : resume) {
                if (!node.isObject()) {
                    throw protocol("manifest-ack message has a malformed entry: " + echo(node.toString()));
                }
                JsonNode r = entryOf(node, "manifest-ack");
                int blockSize = requiredInt(r, "blockSize");
                if (blockSize < 1) {
                    throw protocol("manifest-ack message has an invalid \"blockSize\": " + blockSize);
                }
                JsonNode blocks = r.get("blocks");
                if (blocks == null || !blocks.isArray()) {
                    throw protocol("manifest-ack message has a resume entry without \"blocks\"");
                }
                List<String> hashes = new ArrayList<>(blocks.size());
                for (JsonNode b : blocks) {
                    if (!b.isTextual() || !SHA256_HEX.matcher(b.asText()).matches()) {
                        throw protocol("manifest-ack message has an invalid block hash: " + echo(b.toString()));
                    }
                    hashes.add(b.asText().toLowerCase(Locale.ROOT));
                }
                entries.add(new Resume(requiredText(r, "name"), requiredCount(r, "offset"), blockSize, hashes));
            }
        }
        return new ManifestAck(entries, optionalBoolean(root, "more"));
    }

    private static boolean optionalBoolean(JsonNode root, String field) throws RtcatException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw protocol(typeOf(root) + " message has a non-boolean \"" + field + "\"");
        }
        return node.booleanValue();
    }

    /** A size: a non-negative integer or {@link #UNKNOWN_SIZE}. */
    private static long requiredSize(JsonNode root, String field) throws RtcatException {
        Long value = optionalLong(root, field);
        if (value == null) {
            throw protocol(typeOf(root) + " message without \"" + field + "\"");
        }
        if (value < UNKNOWN_SIZE) {
            throw protocol(typeOf(root) + " message has a negative \"" + field + "\": " + value);
        }
        return value;
    }

    /** A short, printable rendering of peer-supplied text for error messages. */
    static String echo(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_ECHOED_CHARS; i++) {
            char c = text.charAt(i);
            if (DisplayName.hidden(c) || Character.isSurrogate(c) && !isPairedSurrogate(text, i)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_ECHOED_CHARS && text.length() > MAX_ECHOED_CHARS) {
            out.append("...");
        }
        return out.toString();
    }

    private static boolean isPairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static void putIfPresent(ObjectNode node, String field, Long value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String requiredText(JsonNode root, String field) throws RtcatException {
        String value = optionalText(root, field);
        if (value == null) {
            throw protocol(typeOf(root) + " message without \"" + field + "\"");
        }
        return value;
    }

    private static String optionalText(JsonNode root, String field) throws RtcatException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw protocol(typeOf(root) + " message has a non-text \"" + field + "\"");
        }
        return node.asText();
    }

    /** Error messages are advisory, so a wrongly typed field is shown rather than rejected. */
    private static String optionalTextOr(JsonNode root, String field, String fallback) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }

    private static long requiredCount(JsonNode root, String field) throws RtcatException {
        Long value = optionalCount(root, field);
        if (value == null) {
            throw protocol(typeOf(root) + " message without \"" + field + "\"");
        }
        return value;
    }

    /** A non-negative integer. */
    private static Long optionalCount(JsonNode root, String field) throws RtcatException {
        Long value = optionalLong(root, field);
        if (value != null && value < 0) {
            throw protocol(typeOf(root) + " message has a negative \"" + field + "\": " + value);
        }
        return value;
    }

    private static Long optionalLong(JsonNode root, String field) throws RtcatException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw protocol(typeOf(root) + " message has an invalid \"" + field + "\": " + echo(node.toString()));
        }
        return node.longValue();
    }

    private static int requiredInt(JsonNode root, String field) throws RtcatException {
        Integer value = optionalInt(root, field);
        if (value == null) {
            throw protocol(typeOf(root) + " message without \"" + field + "\"");
        }
        return value;
    }

    private static Integer optionalInt(JsonNode root, String field) throws RtcatException {
        Long value = optionalLong(root, field);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw protocol(typeOf(root) + " message has an out-of-range \"" + field + "\": " + value);
        }
        return value.intValue();
    }

    private static String requiredSha256(JsonNode root, String field) throws RtcatException {
        String value = optionalSha256(root, field);
        if (value == null) {
            throw protocol(typeOf(root) + " message without \"" + field + "\"");
        }
        return value;
    }

    private static String optionalSha256(JsonNode root, String field) throws RtcatException {
        String value = optionalText(root, field);
        if (value == null) {
            return null;
        }
        if (!SHA256_HEX.matcher(value).matches()) {
            throw protocol(typeOf(root) + " message has an invalid \"" + field + "\": " + echo(value));
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static String typeOf(JsonNode root) {
        return root.get("type").asText(); // messages are checked for a type first; entries get theirs from entryOf
    }

    /** An entry of a list, labelled with its message's type so that a bad field is named after the message. */
    private static JsonNode entryOf(JsonNode entry, String type) {
        return ((ObjectNode) entry.deepCopy()).put("type", type);
    }

    private static RtcatException protocol(String message) {
        return new RtcatException(Kind.PROTOCOL, message, "is the peer running a compatible rtcat or page?");
    }
}
