package io.rtcat.transfer;

import java.util.Locale;

/**
 * A name offered by a peer, made safe to print: control characters (C0, DEL, C1), bidirectional controls
 * (which can make {@code evil\u202Efdp.exe} read as {@code evilexe.pdf}), zero-width and invisible format
 * characters, line separators and lone surrogates are shown as {@code \}{@code uXXXX}; a backslash stays as it is.
 */
public final class DisplayName {

    private DisplayName() {
    }

    public static String of(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean escape = hidden(c) || Character.isSurrogate(c) && !paired(name, i);
            if (escape && out == null) {
                out = new StringBuilder(name.length() + 12).append(name, 0, i);
            }
            if (escape) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? name : out.toString();
    }

    /** Characters that print as nothing, move the cursor or reorder the text around them. */
    static boolean hidden(char c) {
        if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
            return true;
        }
        if (c == 0x00ad || c == 0x061c || c == 0x180e || c >= 0x200b && c <= 0x200f || c >= 0x2028 && c <= 0x202e
                || c >= 0x2060 && c <= 0x2069 || c == 0xfeff || c >= 0xfff9 && c <= 0xfffb) {
            return true;
        }
        return false;
    }

    private static boolean paired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
