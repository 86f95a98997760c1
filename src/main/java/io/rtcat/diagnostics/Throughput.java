package io.rtcat.diagnostics;

/**
 * One direction of a throughput run, measured at the receiving end.
 *
 * @param direction "up" (checker to responder) or "down" (responder to checker)
 * @param nanos     from the request until the last byte arrived
 */
public record Throughput(String direction, long bytes, long nanos) {

    public double bytesPerSecond() {
        return nanos <= 0 ? 0 : bytes * 1e9 / nanos;
    }

    public double seconds() {
        return nanos / 1e9;
    }
}
