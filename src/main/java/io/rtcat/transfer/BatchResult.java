package io.rtcat.transfer;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of a successful batch send or receive.
 *
 * @param files one entry per file, in transfer order
 * @param totalBytes sum of the files' sizes (including resumed bytes)
 * @param resumedBytes bytes not sent again because the receiver already had them
 * @param startNanos {@link System#nanoTime()} when the transfer began
 * @param endNanos {@link System#nanoTime()} when it ended
 */
public record BatchResult(List<FileResult> files, long totalBytes, long resumedBytes, long startNanos,
        long endNanos) {

    public BatchResult {
        files = List.copyOf(files);
    }

    /**
     * One file.
     *
     * @param name the name offered by the sender
     * @param path where the receiver saved it; null on the sending side and when writing to a stream
     * @param savedAs the receiver's final relative name (differs from {@code name} with
     *     {@link OnExisting#RENAME}); null if unconfirmed (browser receiver) or written to a stream
     * @param bytes size of the file
     * @param resumedBytes bytes of it that were not sent again
     * @param sha256 lowercase hex of the content
     * @param verified receiver: the sender supplied a sha256 and it matched; sender: the receiver confirmed
     *     the same sha256
     */
    public record FileResult(String name, Path path, String savedAs, long bytes, long resumedBytes, String sha256,
            boolean verified) {}

    /** Bytes that actually crossed the channel. */
    public long transferredBytes() {
        return totalBytes - resumedBytes;
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }
}
