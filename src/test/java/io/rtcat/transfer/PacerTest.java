package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pacer against a simulated path (bottleneck rate, one-way delays, acks every 1 MiB) on a fake clock. */
class PacerTest {

    private static final int CHUNK = 64 * 1024;
    private static final long ACK_EVERY = 1024 * 1024;

    /** A deterministic path: a FIFO bottleneck of {@code rate} bytes/s, then {@code rtt}; acks every 1 MiB. */
    private static final class Path {
        double rate;
        final long oneWay;
        long now;
        long bottleneckFree; // when the bottleneck finishes what it holds
        long received;
        long ackedSent;
        long maxQueue; // most bytes ever waiting at the bottleneck
        final ArrayDeque<long[]> arrivals = new ArrayDeque<>(); // {time at receiver, end offset}
        final ArrayDeque<long[]> acks = new ArrayDeque<>(); // {time at sender, bytes}

        Path(double rate, long rttNanos) {
            this.rate = rate;
            this.oneWay = rttNanos / 2;
        }

        void send(long end, int size) {
            long start = Math.max(now, bottleneckFree);
            long queuedNanos = start - now;
            maxQueue = Math.max(maxQueue, (long) (queuedNanos * rate / 1e9));
            bottleneckFree = start + (long) (size * 1e9 / rate);
            arrivals.add(new long[] {bottleneckFree + oneWay, end});
        }

        /** Moves time to {@code t}, delivering what arrives and handing acks that come back to the pacer. */
        void advance(long t, Pacer pacer) {
            while (true) {
                long nextArrival = arrivals.isEmpty() ? Long.MAX_VALUE : arrivals.peek()[0];
                long nextAck = acks.isEmpty() ? Long.MAX_VALUE : acks.peek()[0];
                long next = Math.min(nextArrival, nextAck);
                if (next > t) {
                    break;
                }
                now = next;
                if (nextArrival <= nextAck) {
                    received = arrivals.poll()[1];
                    if (received - ackedSent >= ACK_EVERY) {
                        ackedSent = received;
                        acks.add(new long[] {now + oneWay, received});
                    }
                } else {
                    pacer.onAck(acks.poll()[1]);
                }
            }
            now = t;
        }
    }

    /** Runs a sender that always has data until {@code seconds} on the clock; returns the bytes the receiver got. */
    private static long run(Pacer pacer, Path path, double seconds) {
        long end = (long) (seconds * 1e9);
        long sent = pacer.sent();
        while (path.now < end) {
            long delay = pacer.delayNanos(CHUNK);
            if (delay > 0) {
                long nextEvent = Math.min(path.arrivals.isEmpty() ? Long.MAX_VALUE : path.arrivals.peek()[0],
                        path.acks.isEmpty() ? Long.MAX_VALUE : path.acks.peek()[0]);
                path.advance(Math.min(path.now + delay, nextEvent), pacer); // an ack wakes the sender early
                continue;
            }
            pacer.onSend(CHUNK);
            sent += CHUNK;
            path.send(sent, CHUNK);
            path.advance(path.now + 20_000, pacer); // 20 µs per send, as webrtc-java's blocking hop
        }
        return path.received;
    }

    @Test
    void estimatesTheBottleneckAndRoundTripOfALongPathAndKeepsItsQueueShort() {
        Path path = new Path(20e6, TimeUnit.MILLISECONDS.toNanos(100));
        Pacer pacer = new Pacer(() -> path.now, TimeUnit.MILLISECONDS.toNanos(100), true);
        long received = run(pacer, path, 20);
        PacingSummary s = pacer.summary();
        assertTrue(s.active(), s.toString());
        assertEquals(20e6, s.bottleneckBytesPerSecond(), 20e6 * 0.15, s.toString());
        assertEquals(100, s.minRttMillis(), 15, s.toString());
        assertEquals(Pacer.Phase.PROBE_BW, pacer.phase());
        // Nearly the whole path's capacity over 20 s, start-up included ...
        assertTrue(received >= 0.85 * 20e6 * 20, "received " + received);
        // ... without a standing queue: never much more than the bandwidth-delay product waits at the bottleneck.
        assertTrue(path.maxQueue <= 2 * 20e6 * 0.1 + Pacer.ACK_SLACK, "max queue " + path.maxQueue);
    }

    @Test
    void followsTheBottleneckWhenItDrops() {
        Path path = new Path(30e6, TimeUnit.MILLISECONDS.toNanos(60));
        Pacer pacer = new Pacer(() -> path.now, TimeUnit.MILLISECONDS.toNanos(60), true);
        run(pacer, path, 10);
        assertEquals(30e6, pacer.summary().bottleneckBytesPerSecond(), 30e6 * 0.15, pacer.summary().toString());
        path.rate = 10e6;
        run(pacer, path, 20); // the old estimate ages out of the filter after 10 round trips
        long before = path.received;
        run(pacer, path, 30);
        PacingSummary s = pacer.summary();
        assertEquals(10e6, s.bottleneckBytesPerSecond(), 10e6 * 0.25, s.toString());
        assertTrue(path.received - before >= 0.8 * 10e6 * 10, "received " + (path.received - before));
    }

    @Test
    void aPathUnderOneMillisecondIsReportedAsSuchNotByItsQueueingDelay() {
        assertEquals(500_000, BatchSender.pathRttNanos(0.0), "libwebrtc's 0 ms: below its resolution");
        assertEquals(-1, BatchSender.pathRttNanos(null));
        assertEquals(-1, BatchSender.pathRttNanos(Double.NaN));
        assertEquals(12_000_000, BatchSender.pathRttNanos(12.0));
        // a loopback whose acknowledgements come back 60 ms late (a full receive window queued ahead of them)
        Path path = new Path(30e6, TimeUnit.MILLISECONDS.toNanos(60));
        Pacer pacer = new Pacer(() -> path.now, BatchSender.pathRttNanos(0.0), false);
        run(pacer, path, 2);
        assertEquals("off (path RTT below 10 ms)", pacer.summary().describe());
    }

    @Test
    void withoutTheConnectionsRoundTripItOnlyMeasures() {
        Path path = new Path(50e6, TimeUnit.MICROSECONDS.toNanos(500));
        Pacer pacer = new Pacer(() -> path.now);
        run(pacer, path, 2);
        assertFalse(pacer.paced());
        assertFalse(pacer.summary().active());
        assertEquals(0, pacer.delayNanos(CHUNK));
        assertTrue(pacer.summary().minRttMillis() > 0, pacer.summary().toString());
    }

    @Test
    void sendsOnlyTheInitialWindowBeforeTheFirstAcknowledgement() {
        long[] now = {0};
        Pacer pacer = new Pacer(() -> now[0], TimeUnit.MILLISECONDS.toNanos(40), true);
        long sent = 0;
        while (pacer.delayNanos(CHUNK) == 0) {
            pacer.onSend(CHUNK);
            sent += CHUNK;
            now[0] += 1000;
        }
        assertEquals(Pacer.ACK_SLACK, sent);
        now[0] += TimeUnit.MILLISECONDS.toNanos(50);
        pacer.onAck(ACK_EVERY);
        assertTrue(pacer.delayNanos(CHUNK) == 0, "an acknowledgement opens the window");
        assertTrue(pacer.summary().describe().startsWith("bottleneck "), pacer.summary().describe());
    }

    @Test
    void spacesChunksAtTheGainTimesTheEstimate() {
        long[] now = {0};
        Pacer pacer = new Pacer(() -> now[0], TimeUnit.MILLISECONDS.toNanos(80), true);
        pacer.onSend(CHUNK);
        now[0] += TimeUnit.MILLISECONDS.toNanos(100);
        pacer.onAck(CHUNK); // 64 KiB delivered in 100 ms: 0.66 MB/s, start-up gain
        double rate = pacer.pacingRate();
        assertEquals(Pacer.STARTUP_GAIN * CHUNK / 0.1, rate, 1);
        assertEquals(0, pacer.delayNanos(CHUNK), "after an idle spell one chunk may go at once");
        pacer.onSend(CHUNK);
        pacer.onSend(CHUNK);
        long gap = pacer.delayNanos(CHUNK);
        assertEquals((long) (CHUNK * 1e9 / rate), gap, 2, "the next chunk waits one chunk's time at that rate");
        now[0] += gap;
        assertEquals(0, pacer.delayNanos(CHUNK));
    }

    @Test
    void aShortRoundTripMeasuredUpFrontTurnsPacingOffFromTheStart() {
        long[] now = {0};
        Pacer pacer = new Pacer(() -> now[0], TimeUnit.MILLISECONDS.toNanos(1), true);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, pacer.delayNanos(CHUNK)); // no initial window: a LAN transfer never waits
            pacer.onSend(CHUNK);
        }
        assertFalse(pacer.summary().active());
    }

    @Test
    void theRoundTripMeasuredUpFrontIsNotRaisedByQueuedAcknowledgements() {
        Path path = new Path(20e6, TimeUnit.MILLISECONDS.toNanos(100));
        Pacer pacer = new Pacer(() -> path.now, TimeUnit.MILLISECONDS.toNanos(100), true);
        run(pacer, path, 10);
        assertEquals(100, pacer.summary().minRttMillis(), 0.001);
        assertEquals(20e6, pacer.summary().bottleneckBytesPerSecond(), 20e6 * 0.15);
    }

    @Test
    void turnedOffItOnlyMeasures() {
        Path path = new Path(20e6, TimeUnit.MILLISECONDS.toNanos(100));
        Pacer pacer = new Pacer(() -> path.now, TimeUnit.MILLISECONDS.toNanos(100), false);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, pacer.delayNanos(CHUNK)); // no initial window either
            pacer.onSend(CHUNK);
        }
        assertFalse(pacer.summary().active());
        assertTrue(pacer.summary().describe().startsWith("off, measured only"), pacer.summary().describe());
    }
}
