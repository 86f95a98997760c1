package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Validates file names chosen by the remote peer, which must never be able to write outside the
 * receiver's target directory. Accepts relative paths with {@code /} separators ({@code \} is
 * treated as a separator too) and rejects everything ambiguous rather than trying to repair it.
 */
public final class SafeName {

    static final int MAX_COMPONENT_BYTES = 255;
    static final int MAX_TOTAL_BYTES = 4096;

    private SafeName() {}

    /** Returns the normalised relative name ({@code /} separators) or throws {@link Kind#PROTOCOL}. */
    public static String check(String raw) throws RtcatException {
        String problem = problemWith(raw);
        if (problem != null) {
            throw unsafe(raw);
        }
        return raw.replace('\\', '/');
    }

    /**
     * Checks {@code raw} and resolves it under {@code directory}. The containment check is a second
     * defence in case the syntactic rules above ever miss a trick.
     */
    public static Path resolve(Path directory, String raw) throws RtcatException {
        String name = check(raw);
        Path base = directory.toAbsolutePath().normalize();
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw unsafe(raw);
        }
        return target;
    }

    /** Why {@code raw} is unsafe, or null if it is fine. Package-private for tests. */
    static String problemWith(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "empty";
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character";
            }
            // An unpaired surrogate cannot be encoded as UTF-8, so no file system could store it faithfully.
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= raw.length() || !Character.isLowSurrogate(raw.charAt(i + 1))) {
                    return "unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "unpaired surrogate";
            }
        }
        String name = raw.replace('\\', '/');
        if (utf8Length(name) > MAX_TOTAL_BYTES) {
            return "too long";
        }
        if (name.startsWith("/")) {
            return "absolute";
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0))) {
            return "drive letter";
        }
        for (String component : name.split("/", -1)) {
            if (component.isEmpty()) {
                return "empty component";
            }
            if (component.equals(".") || component.equals("..")) {
                return "relative component";
            }
            if (utf8Length(component) > MAX_COMPONENT_BYTES) {
                return "component too long";
            }
        }
        return null;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static RtcatException unsafe(String raw) {
        return new RtcatException(Kind.PROTOCOL, "unsafe file name from peer: \"" + ProtocolCodec.echo(raw) + "\"",
                "the sender must use a plain relative name without '..' or control characters");
    }
}
