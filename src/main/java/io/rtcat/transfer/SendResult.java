package io.rtcat.transfer;

/**
 * Outcome of one successful send.
 *
 * @param sha256 lowercase hex of everything sent
 * @param startNanos {@link System#nanoTime()} when file-start was sent
 * @param endNanos {@link System#nanoTime()} when the receiver confirmed (or, unconfirmed, when sending ended)
 * @param confirmed the receiver is rtcat and reported the same sha256 after saving the file
 * @param savedAs the receiver's final relative name, or null if unconfirmed
 */
public record SendResult(String name, long bytes, String sha256, long startNanos, long endNanos, boolean confirmed,
        String savedAs) {

    public long durationNanos() {
        return endNanos - startNanos;
    }
}
