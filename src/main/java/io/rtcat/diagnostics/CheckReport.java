package io.rtcat.diagnostics;

import io.rtcat.stats.ConnectionStats;

/**
 * What {@code rtcat check} measured.
 *
 * @param pingsSent     pings the offerer sent
 * @param pingsAnswered pongs that came back within the timeout
 * @param bytes         size of the throughput transfer
 * @param connection    the selected pair after the transfer; null if stats could not be read
 */
public record CheckReport(long connectMillis, RttStats rtt, int pingsSent, int pingsAnswered, long bytes,
        long transferNanos, ConnectionStats connection) {

    public int pingsLost() {
        return pingsSent - pingsAnswered;
    }

    public double throughputBytesPerSecond() {
        return transferNanos <= 0 ? 0 : bytes * 1e9 / transferNanos;
    }

    /** "direct" or "relay", null when unknown. */
    public String path() {
        return connection == null ? null : connection.path();
    }
}
