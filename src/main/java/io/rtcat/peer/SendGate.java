package io.rtcat.peer;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a data channel's send queue under a high watermark.
 *
 * <p>webrtc-java 0.14.0 never fires the buffered-amount callback, so the sending thread polls
 * {@code getBufferedAmount()} and parks briefly while the queue is full. Each poll is a blocking hop to
 * the network thread (~20 µs), so the gate keeps a local upper bound (last polled amount plus bytes sent
 * since) and only polls when that bound says the next message might not fit. libwebrtc silently closes
 * the channel once its queue passes 16 MiB, so the watermark must stay well below that.
 */
final class SendGate {

    /** What the gate needs from the channel; a fake in tests. */
    interface Probe {
        long bufferedAmount();

        boolean isOpen();
    }

    static final long LIBWEBRTC_QUEUE_LIMIT = 16L * 1024 * 1024;

    private volatile long highWatermark;
    private final Probe probe;
    private final long parkNanos;
    private final long stallNanos;
    private long bound;
    private long polls;

    SendGate(long highWatermark, Probe probe, long parkNanos, long stallNanos) {
        if (highWatermark <= 0 || highWatermark > LIBWEBRTC_QUEUE_LIMIT / 2) {
            throw new IllegalArgumentException("high watermark must be in 1.." + LIBWEBRTC_QUEUE_LIMIT / 2);
        }
        this.highWatermark = highWatermark;
        this.probe = probe;
        this.parkNanos = parkNanos;
        this.stallNanos = stallNanos;
    }

    SendGate(long highWatermark, Probe probe) {
        this(highWatermark, probe, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(30));
    }

    /**
     * Blocks until {@code size} more bytes fit under the watermark, then counts them as queued.
     * A message larger than the watermark waits for an empty queue. Fails if the channel closes or the
     * queue does not move for the stall timeout.
     */
    void acquire(int size) throws IOException, InterruptedException {
        if (!probe.isOpen()) {
            throw new IOException("data channel closed");
        }
        if (bound + size <= highWatermark) {
            bound += size;
            return;
        }
        long lastProgress = System.nanoTime();
        long previous = Long.MAX_VALUE;
        while (true) {
            if (!probe.isOpen()) {
                throw new IOException("data channel closed");
            }
            long queued = probe.bufferedAmount();
            polls++;
            if (queued + size <= highWatermark || queued == 0) {
                bound = queued + size;
                return;
            }
            long now = System.nanoTime();
            if (queued < previous) {
                lastProgress = now;
            } else if (now - lastProgress > stallNanos) {
                throw new IOException("data channel stalled: " + queued + " bytes queued for "
                        + TimeUnit.NANOSECONDS.toMillis(stallNanos) + " ms");
            }
            previous = queued;
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(parkNanos);
        }
    }

    /** Upper bound on what is queued, as the gate believes it. */
    long bound() {
        return bound;
    }

    long polls() {
        return polls;
    }

    long highWatermark() {
        return highWatermark;
    }

    /** Lowers the watermark (never raises it): from the next message on, at most {@code bytes} wait queued. */
    void lowerWatermark(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("watermark must be positive: " + bytes);
        }
        highWatermark = Math.min(highWatermark, bytes);
    }
}
