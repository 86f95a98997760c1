package io.rtcat.stats;

/** Connection stats read at one moment, so that rates can be computed from two of them. */
public record StatsSample(long nanos, ConnectionStats stats) {

    /** Bytes per second sent between {@code earlier} and this sample, from the transport's byte counters. */
    public double sendRateSince(StatsSample earlier) {
        return Units.bytesPerSecond(stats.bytesSent() - earlier.stats.bytesSent(), nanos - earlier.nanos);
    }

    public double receiveRateSince(StatsSample earlier) {
        return Units.bytesPerSecond(stats.bytesReceived() - earlier.stats.bytesReceived(), nanos - earlier.nanos);
    }
}
