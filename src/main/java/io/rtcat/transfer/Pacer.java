package io.rtcat.transfer;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides when the next chunk may enter the data channel, from what the receiver acknowledged, in the way BBR
 * paces a TCP flow: it estimates the bottleneck bandwidth (the highest delivery rate of the last
 * {@link #BW_ROUNDS} round trips) and the minimum round trip, and sends at {@code gain x bandwidth}.
 *
 * <p>Why: on a delayed path libwebrtc's SCTP sends what it has queued in bursts whenever its window opens, and
 * the receiver's UDP socket (212992 bytes by default, ~90 datagrams) overflows; the kernel drops the excess and
 * SCTP backs off as if the network were lossy. Handing SCTP bytes at the rate the path delivers keeps its queue
 * short and its packets spread over the round trip instead.
 *
 * <p>Phases: STARTUP (gain 2.885, doubling per round trip until the estimate stops growing by 25% for three
 * rounds), DRAIN (gain 1/2.885 until what is in flight fits one bandwidth-delay product), then PROBE_BW cycling
 * {@link #PROBE_GAINS}, one min-RTT each (a probe for more bandwidth, a phase that drains the queue probing
 * built, then cruising). In flight is also capped at 2 bandwidth-delay products plus {@link #ACK_SLACK}
 * (the receiver acknowledges only every 1 MiB). The min RTT starts at the connection's own measurement (ICE);
 * paths shorter than {@link #MIN_PACED_RTT_NANOS} are not paced:
 * their bursts are short, and the coarse acknowledgements could only make the estimate noisier than the path.
 *
 * <p><b>Off by default</b> ({@code RTCAT_PACING=1} turns it on; the estimates are always reported): measured
 * through netlab at 100 ms RTT with the sockets' receive buffers raised (peer.SocketReceiveBuffers), which
 * removed the kernel drops on their own, the paced sender moved one stream at 7.7-10.3 MB/s and the unpaced
 * one at 12.5-13.8 MB/s (in-flight cap and pacing rate lag SCTP's own slow start).
 *
 * <p>Not thread-safe: one sending thread plus acknowledgements delivered under the caller's lock.
 */
final class Pacer {

    static final double STARTUP_GAIN = 2.885;
    /**
     * BBR's cycle is 1.25, 0.75, then 1 x6. Here a loss-based SCTP sits underneath, whose congestion window grows
     * only while it has more to send than the window lets out: cruising at exactly the estimate would starve that
     * growth (measured: after a loss one stream then crawled back at 1/8 of the round trips). So the cycle is
     * shifted up: probe at 1.5, drain at 1, cruise at 1.25; the in-flight cap bounds the queue that builds.
     */
    static final double[] PROBE_GAINS = {1.5, 1, 1.25, 1.25, 1.25, 1.25, 1.25, 1.25};
    static final long MIN_PACED_RTT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long ACK_SLACK = 2L * 1024 * 1024;
    static final int BW_ROUNDS = 10;

    enum Phase { STARTUP, DRAIN, PROBE_BW }

    /** A sent chunk waiting for its acknowledgement: where it ends, when it went, what was delivered then. */
    private record Sent(long end, long sentAt, long deliveredAtSend, long deliveredTimeAtSend) {}

    private final LongSupplier clock;
    private final boolean enabled;
    private final boolean pathRttKnown;
    private final ArrayDeque<Sent> unacked = new ArrayDeque<>();
    private final double[] roundMax = new double[BW_ROUNDS]; // bytes per second, per round trip
    private long sent;
    private long delivered;
    private long deliveredTime;
    private long minRtt = -1;
    private long rounds;
    private long roundEndsAt; // a round ends when this many bytes are delivered
    private Phase phase = Phase.STARTUP;
    private double fullBw;
    private int roundsWithoutGrowth;
    private int cycle;
    private long cycleStart;
    private long nextSend;
    private double bandwidth; // bytes per second
    private double maxPacingRate;
    private long pacedNanos; // time the sender waited on the pacer

    /**
     * @param pathRttNanos the path's round trip as the connection measured it (ICE checks), or a negative value if
     *     unknown (then it only measures, see {@link #paced()})
     */
    Pacer(LongSupplier clock, long pathRttNanos) {
        this(clock, pathRttNanos, "1".equals(System.getenv("RTCAT_PACING")));
    }

    /** @param enabled false: never pace, only measure (the default; RTCAT_PACING=1 paces) */
    Pacer(LongSupplier clock, long pathRttNanos, boolean enabled) {
        this.enabled = enabled;
        this.clock = clock;
        this.deliveredTime = clock.getAsLong();
        this.minRtt = pathRttNanos > 0 ? pathRttNanos : -1;
        this.pathRttKnown = pathRttNanos > 0;
    }

    Pacer(LongSupplier clock) {
        this(clock, -1);
    }

    /** Nanoseconds to wait before a chunk of {@code size} bytes may go now; 0 = send at once. */
    long delayNanos(int size) {
        if (!paced()) {
            return 0;
        }
        long now = clock.getAsLong();
        if (sent - delivered + size > inflightCap() && sent > delivered) {
            // Wait for acknowledgements (each one wakes the sender, which asks again).
            return minRtt < 0 ? TimeUnit.MILLISECONDS.toNanos(10)
                    : Math.max(TimeUnit.MILLISECONDS.toNanos(1), minRtt / 4);
        }
        return Math.max(0, nextSend - now);
    }

    /** Records that {@code size} bytes were handed to the channel now. */
    void onSend(int size) {
        long now = clock.getAsLong();
        if (unacked.isEmpty() && delivered == sent) {
            deliveredTime = now; // idle before: do not count the idle time as delivery time
        }
        sent += size;
        unacked.add(new Sent(sent, now, delivered, deliveredTime));
        double rate = pacingRate();
        if (paced() && rate > 0) {
            long gap = (long) (size * 1e9 / rate);
            nextSend = Math.max(nextSend, now - gap) + gap; // no credit for time spent idle beyond one gap
        }
    }

    /** The receiver has everything before {@code bytes}. */
    void onAck(long bytes) {
        if (bytes <= delivered) {
            return;
        }
        long now = clock.getAsLong();
        delivered = Math.min(bytes, sent);
        Sent newest = null;
        while (!unacked.isEmpty() && unacked.peek().end() <= delivered) {
            newest = unacked.poll();
        }
        deliveredTime = now;
        if (newest == null) {
            return;
        }
        long rtt = now - newest.sentAt();
        // Never expires: a sample taken later would include the queue this flow built (BBR drains it first, in
        // PROBE_RTT), and an overestimate raises the in-flight cap, which builds more queue.
        if (minRtt < 0 || rtt < minRtt) {
            minRtt = Math.max(1, rtt);
        }
        long interval = Math.max(now - newest.deliveredTimeAtSend(), rtt);
        if (interval > 0) {
            double sample = (delivered - newest.deliveredAtSend()) * 1e9 / interval;
            int slot = (int) (rounds % BW_ROUNDS);
            roundMax[slot] = Math.max(roundMax[slot], sample);
        }
        bandwidth = 0;
        for (double m : roundMax) {
            bandwidth = Math.max(bandwidth, m);
        }
        if (delivered >= roundEndsAt) {
            endRound();
        }
        advancePhase(now);
        maxPacingRate = Math.max(maxPacingRate, pacingRate());
    }

    private void endRound() {
        rounds++;
        roundEndsAt = sent;
        roundMax[(int) (rounds % BW_ROUNDS)] = 0;
        if (phase == Phase.STARTUP) {
            if (bandwidth >= fullBw * 1.25) {
                fullBw = bandwidth;
                roundsWithoutGrowth = 0;
            } else if (++roundsWithoutGrowth >= 3) {
                phase = Phase.DRAIN;
            }
        }
    }

    private void advancePhase(long now) {
        if (phase == Phase.DRAIN && sent - delivered <= bdp()) {
            phase = Phase.PROBE_BW;
            cycle = 0;
            cycleStart = now;
        } else if (phase == Phase.PROBE_BW && minRtt > 0 && now - cycleStart >= minRtt) {
            cycle = (cycle + 1) % PROBE_GAINS.length;
            cycleStart = now;
        }
    }

    private double gain() {
        return switch (phase) {
            case STARTUP -> STARTUP_GAIN;
            case DRAIN -> 1 / STARTUP_GAIN;
            case PROBE_BW -> PROBE_GAINS[cycle];
        };
    }

    /** Bytes per second the pacer lets through now; 0 before the first estimate (then only the cap applies). */
    double pacingRate() {
        return gain() * bandwidth;
    }

    private long bdp() {
        return (long) (bandwidth * Math.max(0, minRtt) / 1e9);
    }

    private long inflightCap() {
        return bandwidth <= 0 ? ACK_SLACK : 2 * bdp() + ACK_SLACK;
    }

    /**
     * Whether pacing applies: the connection measured the path's round trip and it is long enough to matter.
     * Without that round trip the pacer only measures: one learnt from acknowledgements includes the queues
     * (SCTP's, the bottleneck's) that the flow itself built, and pacing on it would keep those queues.
     */
    boolean paced() {
        return enabled && pathRttKnown && minRtt >= MIN_PACED_RTT_NANOS;
    }

    /** Bytes handed to the channel so far. */
    long sent() {
        return sent;
    }

    /** Counts time the sender spent waiting on the pacer (for the report). */
    void waited(long nanos) {
        pacedNanos += nanos;
    }

    Phase phase() {
        return phase;
    }

    /** What pacing saw and did, for the end report. */
    PacingSummary summary() {
        double rttMillis = minRtt < 0 ? Double.NaN : minRtt / 1e6;
        return new PacingSummary(paced() && minRtt >= 0, bandwidth, rttMillis, pacingRate(), maxPacingRate,
                pacedNanos / 1e6);
    }
}
