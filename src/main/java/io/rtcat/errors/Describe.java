package io.rtcat.errors;

import java.util.Locale;

/** Turns a failure into the few words an error line can carry. */
public final class Describe {

    private Describe() {
    }

    /**
     * The failure's own message on one line ("connection refused"), or its class name when it has none. An
     * {@link RtcatException}'s message is already written for users and is kept as it is; other messages are
     * lowercased to match rtcat's error style.
     */
    public static String failure(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        t = Futures.unwrap(t);
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        String line = m.replaceAll("\\s+", " ").trim();
        return t instanceof RtcatException ? line : line.toLowerCase(Locale.ROOT);
    }

    /** Like {@link #failure} but of the innermost cause, for wrapped I/O errors ("connection refused"). */
    public static String rootCause(Throwable t) {
        if (t == null) {
            return failure(null);
        }
        Throwable c = Futures.unwrap(t);
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null || m.isBlank() ? failure(t) : failure(c);
    }
}
