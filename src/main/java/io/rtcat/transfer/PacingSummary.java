package io.rtcat.transfer;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the sender's {@link Pacer} saw and did, for the end report.
 *
 * @param active whether the path was long enough to pace
 * @param bottleneckBytesPerSecond estimated bottleneck bandwidth at the end
 * @param minRttMillis smallest round trip from a chunk to its acknowledgement (NaN if none came)
 * @param pacingBytesPerSecond the pacing rate at the end
 * @param maxPacingBytesPerSecond the highest pacing rate used
 * @param waitedMillis time the sender waited on the pacer
 */
public record PacingSummary(boolean active, double bottleneckBytesPerSecond, double minRttMillis,
        double pacingBytesPerSecond, double maxPacingBytesPerSecond, double waitedMillis) {

    /** One line for the text report. */
    public String describe() {
        if (Double.isNaN(minRttMillis)) {
            return "not measured (no acknowledgement)";
        }
        if (!active && minRttMillis >= TimeUnit.NANOSECONDS.toMillis(Pacer.MIN_PACED_RTT_NANOS)) {
            return String.format(Locale.ROOT, "off, measured only (bottleneck %.1f MB/s, min RTT %.0f ms)",
                    bottleneckBytesPerSecond / 1e6, minRttMillis);
        }
        if (!active) {
            // no figure here: the RTT line above may come from another stats sample (e.g. loopback's, read at the end)
            return String.format(Locale.ROOT, "off (path RTT below %d ms)",
                    TimeUnit.NANOSECONDS.toMillis(Pacer.MIN_PACED_RTT_NANOS));
        }
        return String.format(Locale.ROOT, "bottleneck %.1f MB/s, min RTT %.0f ms, pacing at %.1f MB/s (peak %.1f)",
                bottleneckBytesPerSecond / 1e6, minRttMillis, pacingBytesPerSecond / 1e6,
                maxPacingBytesPerSecond / 1e6);
    }
}
