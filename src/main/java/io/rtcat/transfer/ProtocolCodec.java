package io.rtcat.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * JSON text messages of file transfer protocol v1. Pure: no I/O, no state.
 *
 * <p>The sender-side messages are a superset of the common browser tutorial protocol
 * ({@code file-start}, binary chunks, {@code file-end}); every rtcat extension field is optional
 * on input. Unknown fields are ignored and unknown types decode to {@link Unknown}.
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MAX_ECHOED_CHARS = 60;

    private ProtocolCodec() {}

    /** Any decoded text message. */
    public sealed interface Message permits FileStart, FileEnd, Hello, Ack, Done, ErrorMessage, Unknown {}

    /**
     * Sender announces a file. Boxed fields are null when absent (browser form).
     *
     * @param mtimeMillis last-modified time in epoch milliseconds
     * @param sha256 lowercase hex; normally sent in {@link FileEnd} instead
     */
    public record FileStart(String name, long size, Long totalChunks, Integer protocol, Integer chunkSize,
            Long mtimeMillis, String sha256) implements Message {

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

    /** A message type this version does not know; callers ignore it. */
    public record Unknown(String type) implements Message {}

    /** Number of binary chunks for {@code size} bytes cut into {@code chunkSize} pieces. */
    public static long totalChunks(long size, int chunkSize) {
        return size == 0 ? 0 : (size - 1) / chunkSize + 1;
    }

    public static String encode(Message message) {
        ObjectNode node = JSON.createObjectNode();
        if (message instanceof FileStart m) {
            node.put("type", "file-start").put("name", m.name()).put("size", m.size());
            putIfPresent(node, "totalChunks", m.totalChunks());
            putIfPresent(node, "protocol", m.protocol() == null ? null : m.protocol().longValue());
            putIfPresent(node, "chunkSize", m.chunkSize() == null ? null : m.chunkSize().longValue());
            putIfPresent(node, "mtime", m.mtimeMillis());
            putIfPresent(node, "sha256", m.sha256());
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
        } else if (message instanceof Unknown m) {
            node.put("type", m.type());
        }
        return node.toString(); // ObjectNode.toString() renders valid JSON
    }

    /** Parses one text message; malformed or invalid messages throw {@link Kind#PROTOCOL}. */
    public static Message decode(String text) throws RtcatException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
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
                    requiredCount(root, "size"),
                    optionalCount(root, "totalChunks"),
                    optionalInt(root, "protocol"),
                    optionalInt(root, "chunkSize"),
                    optionalLong(root, "mtime"),
                    optionalSha256(root, "sha256"));
            case "file-end" -> new FileEnd(optionalSha256(root, "sha256"), optionalCount(root, "size"));
            case "hello" -> new Hello(requiredInt(root, "protocol"), requiredCount(root, "window"));
            case "ack" -> new Ack(requiredCount(root, "bytes"));
            case "done" -> new Done(requiredCount(root, "bytes"), requiredSha256(root, "sha256"),
                    optionalText(root, "name"));
            case "error" -> new ErrorMessage(optionalTextOr(root, "code", "unknown"),
                    optionalTextOr(root, "message", "no reason given"));
            default -> new Unknown(type.asText());
        };
    }

    /** A short, printable rendering of peer-supplied text for error messages. */
    static String echo(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_ECHOED_CHARS; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !isPairedSurrogate(text, i)) {
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
        return root.get("type").asText();
    }

    private static RtcatException protocol(String message) {
        return new RtcatException(Kind.PROTOCOL, message, "is the peer running a compatible rtcat or page?");
    }
}
