package io.rtcat.diagnostics;

/**
 * What one check does after connecting.
 *
 * @param pings     echo messages to send (at least 1)
 * @param bytes     filler per direction; 0 means "for {@code seconds}" instead
 * @param direction which way the throughput run goes
 * @param timeoutMillis how long to wait for any answer, and the longest a transfer may stall
 */
public record CheckPlan(int pings, long intervalMillis, long bytes, double seconds, Direction direction,
        long timeoutMillis) {

    public enum Direction {
        /** Checker to responder (the default, like iperf3). */
        UP,
        /** Responder to checker (--reverse). */
        DOWN,
        /** Both at once (--bidir). */
        BOTH
    }

    public CheckPlan {
        if (pings < 1) {
            throw new IllegalArgumentException("at least one ping");
        }
        if (bytes <= 0 && !(seconds > 0)) {
            throw new IllegalArgumentException("bytes or seconds must be positive");
        }
    }

    /** Bytes the progress bar should expect, 0 when the run is timed. */
    public long expectedBytes() {
        return bytes <= 0 ? 0 : direction == Direction.BOTH ? 2 * bytes : bytes;
    }
}
