package io.rtcat.json;

import java.util.Locale;

/**
 * Peer-supplied text made safe to print: control, format and bidi characters and lone surrogates become
 * {@code \\uXXXX} escapes, so that a hostile peer cannot rewrite the terminal line or hide text in an error
 * message, and the length is capped so that it cannot flood one.
 */
public final class PeerText {

    /** The cap for echoes of malformed input inside a codec's own error message. */
    public static final int ECHO_CHARS = 60;

    private PeerText() {
    }

    /** A short rendering of malformed input for a protocol error ({@value #ECHO_CHARS} characters at most). */
    public static String echo(String text) {
        return sanitize(text, ECHO_CHARS);
    }

    /** {@code text} with hidden characters escaped, cut after {@code maxChars} characters ("..." marks the cut). */
    public static String sanitize(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < maxChars; i++) {
            char c = text.charAt(i);
            if (hidden(c) || Character.isSurrogate(c) && !paired(text, i)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (i < text.length()) {
            out.append("...");
        }
        return out.toString();
    }

    /** C0/C1 controls, soft hyphen, zero-width and bidi controls, line/paragraph separators, BOM, specials. */
    static boolean hidden(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x00ad || c == 0x061c || c == 0x180e
                || c >= 0x200b && c <= 0x200f || c >= 0x2028 && c <= 0x202e || c >= 0x2060 && c <= 0x2069
                || c == 0xfeff || c >= 0xfff9 && c <= 0xfffb;
    }

    private static boolean paired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
