package io.rtcat.signaling;

import java.util.function.LongSupplier;

/**
 * Per-connection token buckets: {@code rate} messages per second with bursts of {@code burst}; a rate of 0 or
 * less lets everything through. The clock is injected (nanoseconds) so the refill arithmetic is testable.
 */
final class RateLimiter {

    /** What to do with one message. */
    enum Verdict {
        /** Handle it. */
        PASS,
        /** Drop it, and answer with error rate-limited: the first of a run of drops. */
        DROP_AND_ANSWER,
        /** Drop it quietly: a run of drops is already answered. */
        DROP,
        /** Drop it and close the connection: the {@value SignalingProtocol#MAX_DROPPED_MESSAGES}th drop. */
        DROP_AND_CLOSE
    }

    private final double rate;
    private final int burst;
    private final LongSupplier nanoClock;

    RateLimiter(double rate, int burst, LongSupplier nanoClock) {
        this.rate = rate;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    double rate() {
        return rate;
    }

    int burst() {
        return burst;
    }

    /** A full bucket for a new connection. */
    Bucket newBucket() {
        return new Bucket();
    }

    /** One connection's bucket; thread-safe. */
    final class Bucket {
        private double tokens = burst;
        private long refillNanos = nanoClock.getAsLong();
        private long dropped;
        private boolean dropping;

        synchronized Verdict take() {
            if (rate <= 0) {
                return Verdict.PASS;
            }
            long now = nanoClock.getAsLong();
            tokens = Math.min(burst, tokens + (now - refillNanos) / 1e9 * rate);
            refillNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                dropping = false;
                return Verdict.PASS;
            }
            boolean first = !dropping;
            dropping = true;
            long n = ++dropped;
            if (n == SignalingProtocol.MAX_DROPPED_MESSAGES) {
                return Verdict.DROP_AND_CLOSE;
            }
            return n < SignalingProtocol.MAX_DROPPED_MESSAGES && first ? Verdict.DROP_AND_ANSWER : Verdict.DROP;
        }
    }
}
