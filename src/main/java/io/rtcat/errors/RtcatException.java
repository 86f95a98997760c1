package io.rtcat.errors;

/**
 * A failure the user can act on. Lower layers wrap library exceptions in this, naming what failed;
 * the CLI turns the {@link Kind} into an exit code and prints {@code rtcat: message} plus the hint.
 */
public class RtcatException extends Exception {

    /** What kind of failure, independent of how the CLI reports it. */
    public enum Kind {
        /** The run finished but its result is a failure (e.g. checksum mismatch). */
        FAILED,
        /** Bad flags or arguments. */
        USAGE,
        /** An input file is missing or unreadable. */
        NO_INPUT,
        /** Signaling, ICE or the peer could not be reached, or the native library cannot load. */
        UNAVAILABLE,
        /** An output file cannot be created (exists, no permission, no space). */
        CANT_CREATE,
        /** Reading or writing failed part way. */
        IO,
        /** A deadline passed; a retry may help. */
        TIMEOUT,
        /** The peer spoke a protocol or version we do not understand, or broke it. */
        PROTOCOL,
        /** The user or a signal interrupted the run. */
        INTERRUPTED,
        /** The peer stopped on purpose (its user pressed Ctrl-C, it got SIGTERM, its output was closed). */
        PEER_CANCELLED,
        /** Standard output was closed early (e.g. piped into head): nothing more can be written. */
        OUTPUT_CLOSED
    }

    private final Kind kind;
    private final String hint;

    public RtcatException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public RtcatException(Kind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public RtcatException(Kind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint;
    }

    public Kind kind() {
        return kind;
    }

    /** One line telling the user what to try next, or null. */
    public String hint() {
        return hint;
    }
}
