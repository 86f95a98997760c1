package io.rtcat.transfer;

/** What the receiver does when the target name is already taken. */
public enum OnExisting {
    /** Refuse the file (default; the sender learns at file-start). */
    FAIL,
    /** Atomically replace the existing file ({@code --force}). */
    OVERWRITE,
    /** Keep both: save as {@code name (1).ext}, {@code name (2).ext}, ... ({@code --rename}). */
    RENAME
}
