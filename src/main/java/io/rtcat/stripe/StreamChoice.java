package io.rtcat.stripe;

import java.util.Locale;

/**
 * How many stripes a transfer uses, and why (shown in the end report).
 *
 * <p>{@code auto} follows the round trip measured on the main connection. One SCTP association in libwebrtc
 * keeps only about 130-190 KB in flight (measured here through netlab: 13.9 MB/s at ~0 ms, 6.7 MB/s at 20 ms,
 * 1.9 MB/s at 100 ms RTT, against 18.7 MB/s for TCP on the same path), so a long path is window-limited and
 * each extra association adds about as much again. One stream per 15 ms of RTT, at most {@link #AUTO_MAX}:
 * below 15 ms one stream is not window-limited and extra ones would only cost set-up time and CPU.
 */
public record StreamChoice(int width, String reason) {

    public static final int AUTO_MAX = 8;
    static final double MILLIS_PER_STREAM = 15;

    public static StreamChoice fixed(int width) {
        return new StreamChoice(width, "--streams " + width);
    }

    public static StreamChoice auto(Double rttMillis) {
        if (rttMillis == null || rttMillis.isNaN()) {
            return new StreamChoice(1, "auto: RTT not measured yet, 1 stream");
        }
        int n = (int) Math.max(1, Math.min(AUTO_MAX, Math.ceil(rttMillis / MILLIS_PER_STREAM)));
        if (n == 1) {
            return new StreamChoice(1, String.format(Locale.ROOT,
                    "auto: %.0f ms RTT, one connection is not window-limited: 1 stream", rttMillis));
        }
        return new StreamChoice(n, String.format(Locale.ROOT,
                "auto: window-limited at %.0f ms RTT: %d streams", rttMillis, n));
    }
}
