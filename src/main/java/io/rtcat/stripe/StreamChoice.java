package io.rtcat.stripe;

import io.rtcat.stats.Units;
import java.util.Locale;

/**
 * How many stripes a transfer uses, and why (shown in the end report).
 *
 * <p>{@code auto} follows the round trip measured on the main connection. On a long path one SCTP association
 * in libwebrtc is fragile: every loss (including datagrams the kernel drops when a socket's receive buffer
 * overflows, see {@link io.rtcat.stats.UdpReceiveDrops}) costs it far more than it costs TCP, and the
 * longer the RTT the slower it recovers. Measured through netlab at 100 ms RTT with the kernel's default buffers:
 * one stream 1.3-1.8 MB/s, 4-8 streams 3.3-5.5 MB/s (medians 2.3x), because independent associations lose
 * and recover independently and spread the bursts over more sockets. Below 15 ms one stream recovers quickly,
 * and extra ones would only cost set-up time and CPU; above, one stream per 15 ms of RTT, at most
 * {@link #AUTO_MAX}.
 *
 * <p>On a lossy path that is far too few: each association is loss-bound (see {@link LossProbe}), so N of them carry
 * about N times as much (measured through netlab at 100 ms RTT and 1% loss each way: one stream 0.13 MB/s, 16
 * streams 1.7 MB/s). Where a probe measured loss, auto takes {@link #LOSSY_FACTOR} times the RTT rule's count, at
 * most {@link #LOSSY_MAX}.
 */
public record StreamChoice(int width, String reason) {

    public static final int AUTO_MAX = 8;
    public static final int LOSSY_MAX = 32;
    static final int LOSSY_FACTOR = 4;
    static final double MILLIS_PER_STREAM = 15;

    public static StreamChoice fixed(int width) {
        return new StreamChoice(width, "--streams " + width);
    }

    public static StreamChoice auto(Double rttMillis) {
        if (rttMillis == null || rttMillis.isNaN()) {
            return new StreamChoice(1, "auto: RTT not measured yet, 1 stream");
        }
        int n = (int) Math.max(1, Math.min(AUTO_MAX, Math.ceil(rttMillis / MILLIS_PER_STREAM)));
        String rtt = Units.formatRtt(rttMillis);
        if (n == 1) {
            return new StreamChoice(1, "auto: " + rtt + " RTT, short enough for one stream");
        }
        return new StreamChoice(n, String.format(Locale.ROOT,
                "auto: %s RTT, one stream per 15 ms: %d streams", rtt, n));
    }

    /** True when auto would stripe on this RTT, so a loss probe may change how many. */
    public static boolean worthProbing(Double rttMillis) {
        return auto(rttMillis).width() > 1;
    }

    /** The most a probe on this RTT may lead to: what the sender announces before probing. */
    static int mostAfterProbe(double rttMillis) {
        return Math.min(LOSSY_MAX, LOSSY_FACTOR * auto(rttMillis).width());
    }

    /** auto once a {@link LossProbe} measured the main path. */
    public static StreamChoice afterProbe(double rttMillis, LossProbe.Result probe) {
        StreamChoice byRtt = auto(rttMillis);
        String rtt = Units.formatRtt(rttMillis);
        if (!probe.lossy()) {
            return new StreamChoice(byRtt.width(), String.format(Locale.ROOT,
                    "auto: %s RTT, %s, one stream per 15 ms: %d streams", rtt, probe.describe(), byRtt.width()));
        }
        int n = mostAfterProbe(rttMillis);
        return new StreamChoice(n, String.format(Locale.ROOT,
                "auto: %s RTT, %s, %d streams per 15 ms on a lossy path: %d streams", rtt, probe.describe(),
                LOSSY_FACTOR, n));
    }
}
