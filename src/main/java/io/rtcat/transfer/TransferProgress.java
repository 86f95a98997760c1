package io.rtcat.transfer;

/**
 * Progress of a batch transfer. Called on the transferring thread: implementations must be quick
 * and must not throw. All methods default to doing nothing.
 */
public interface TransferProgress {

    /** Does nothing. */
    TransferProgress NONE = new TransferProgress() { };

    /**
     * The file list is known (after the manifest, or with the first file when the peer is a browser).
     *
     * @param totalBytes sum of the sizes, or {@link TransferSource#UNKNOWN_SIZE}
     */
    default void onBatchStarted(int files, long totalBytes) { }

    /**
     * A file begins.
     *
     * @param size bytes, or {@link TransferSource#UNKNOWN_SIZE}
     * @param resumedFrom bytes already present at the receiver that are not sent again (0 without resume)
     */
    default void onFileStarted(String name, long size, long resumedFrom) { }

    /**
     * Bytes of the whole batch accounted for so far: completed files plus the current file's position
     * (which includes its resumed prefix). Called at most once per chunk.
     */
    default void onBytes(long totalBytesSoFar) { }

    /** A file was confirmed (sender) or saved and verified (receiver). */
    default void onFileDone(String name, long bytes) { }
}
