package io.rtcat.stripe;

import java.time.Duration;
import java.util.Locale;

/**
 * How {@code --streams auto} measures a long path's packet loss before it picks the number of stripes.
 *
 * <p>It costs about a second on a clean 100 ms path and up to 3 s on a lossy one. With one message in flight at a time
 * it moves at most about one message per round trip: measured at 100 ms RTT (scripts/bench-probe), 512-640 KiB in
 * 1.1-1.3 s on the clean path, 320-512 KiB in 3.0-3.7 s at 1% loss each way, some 750-1,050 packets both ways.
 *
 * <p>One SCTP association is loss-bound on a long path (Reno: about 1.22 x 1200 B / (RTT x sqrt(loss)), 0.15 MB/s
 * at 100 ms and 1%), and the RTT alone cannot tell a clean path from a lossy one. So the sender sends the main
 * channel throw-away data for a moment and compares what its side of the selected candidate pair sent (SCTP's
 * retransmissions included) with what the receiver's side received meanwhile: each datagram lost on the way is one
 * sent and never received; the same for the receiver's acknowledgements on the way back. The counts are read at
 * points where nothing is in flight on the main channel (the receiver's {@code stripes-probe-ready} before the
 * data, its {@code stripes-probe-result} after the end mark), each from a stats report made after that point
 * ({@link io.rtcat.peer.Peer#freshStats}). What is left over is one packet each way that falls between the two
 * sides' readings: {@code stripes-probe-ready} (counted as sent back, read after it arrived) and the SACK the
 * sender gives it (counted as received, sent before the sender's reading). They cancel in the sum: measured on a
 * clean 100 ms path, 8 probes of 8 came out at exactly 0 lost (scripts/bench-probe).
 *
 * <pre>
 *   sender                                      receiver
 *   stripes {count: most, probe: true}   ->     reads its packets received
 *                                        <-     stripes-probe-ready
 *   (reads its packets sent)
 *   binary probe data for {@link #duration}  ->  (discarded)
 *   stripes-probe-end                    ->     reads its packets received
 *                                        <-     stripes-probe-result {packets, packets_sent}
 *   (reads its packets sent; chooses)
 *   stripe-offer ... stripes-ready {count}      (or stripes-abandon: one stream)
 * </pre>
 */
public final class LossProbe {

    /** Transfers smaller than this are not worth a probe's second or two: they keep the RTT rule. */
    public static final long MIN_TRANSFER_BYTES = 64L << 20;
    /** Size of each throw-away message. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** A clean short path ends the probe early: by then thousands of packets (about 3,600) went through. */
    static final long MAX_BYTES = 4L << 20;
    /**
     * A slow (lossy) path goes on past {@link #duration} until this much went (about 450 packets, enough to show a
     * loss of 1% a few times over), or {@link #LONGEST}.
     */
    static final long ENOUGH_BYTES = 512L << 10;
    static final Duration LONGEST = Duration.ofSeconds(3);
    /** Lost packets below this count (or rate) are read as a clean path: a SACK may be counted on one side only. */
    static final int MIN_LOST = 2;
    static final double MIN_LOSS_RATE = 0.002;

    private LossProbe() {
    }

    /**
     * How long the probe sends at least: long enough for a lossy path's window to stop growing (10 round trips), at
     * least 0.5 s, at most {@link #LONGEST}; a slow path goes on until {@link #ENOUGH_BYTES}.
     */
    static Duration duration(double rttMillis) {
        long millis = Math.max(500, Math.min(LONGEST.toMillis(), Math.round(10 * rttMillis)));
        return Duration.ofMillis(millis);
    }

    /**
     * Whether {@code RTCAT_LOSS_PROBE} asks for a probe whatever the size ({@code 1}: tests, measurements) or for
     * none ({@code 0}: the RTT rule alone); null when unset (the size decides).
     */
    public static Boolean forced() {
        String v = System.getenv("RTCAT_LOSS_PROBE");
        return "1".equals(v) ? Boolean.TRUE : "0".equals(v) ? Boolean.FALSE : null;
    }

    /** Packets one way on the main path's selected pair during the probe: sent by one side, received by the other. */
    public record Leg(long sent, long received) {
    }

    /**
     * What one probe measured on the main path: {@code out} the probe's data (and SCTP's retransmissions) to the
     * receiver, {@code back} the receiver's acknowledgements (null from a receiver that counts only what it got).
     * Both ways count: the SACKs add half as many packets again to a sample that, on a slow lossy path, holds only
     * some 500 data packets (5 losses expected at 1%: too few to tell reliably from the odd packet that one side
     * counts and the other not).
     */
    public record Result(Leg out, Leg back, long bytes, long millis) {

        /** Packets sent both ways. */
        public long sent() {
            return out.sent() + (back == null ? 0 : back.sent());
        }

        /** Packets sent and never received, both ways (the counters are read apart, so never below zero). */
        public long lost() {
            long received = out.received() + (back == null ? 0 : back.received());
            return Math.max(0, sent() - received);
        }

        /** Fraction of the datagrams sent that never arrived (0..1). */
        public double lossRate() {
            return sent() <= 0 ? 0 : (double) lost() / sent();
        }

        /** Enough datagrams lost, and often enough, that one SCTP association would be loss-bound. */
        public boolean lossy() {
            return lost() >= MIN_LOST && lossRate() >= MIN_LOSS_RATE;
        }

        /** e.g. "1.2% loss (5 of 410 packets)". */
        public String describe() {
            return String.format(Locale.ROOT, "%.1f%% loss (%d of %d packets)", 100 * lossRate(), lost(), sent());
        }
    }
}
