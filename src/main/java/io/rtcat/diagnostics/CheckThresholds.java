package io.rtcat.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pass/fail limits of {@code rtcat check}; null means "not checked".
 *
 * @param expectPath         "direct" or "relay"
 * @param minMegabytesPerSec minimum throughput in MB/s (10^6 bytes per second)
 * @param maxRttMillis       maximum average ping round trip in milliseconds
 */
public record CheckThresholds(String expectPath, Double minMegabytesPerSec, Double maxRttMillis) {

    public static CheckThresholds none() {
        return new CheckThresholds(null, null, null);
    }

    /** Every threshold that {@code report} misses, in {@link CheckFailure.Kind} order. */
    public List<CheckFailure> evaluate(CheckReport report) {
        List<CheckFailure> failures = new ArrayList<>();
        if (expectPath != null) {
            String path = report.path();
            if (!expectPath.equals(path)) {
                failures.add(new CheckFailure(CheckFailure.Kind.PATH_MISMATCH,
                        "expected a " + expectPath + " path but the selected pair is "
                                + (path == null ? "unknown" : path)));
            }
        }
        if (minMegabytesPerSec != null && report.throughputBytesPerSecond() < minMegabytesPerSec * 1e6) {
            failures.add(new CheckFailure(CheckFailure.Kind.THROUGHPUT_LOW, String.format(Locale.ROOT,
                    "throughput %.2f MB/s%s is below --min-throughput %s MB/s",
                    report.throughputBytesPerSecond() / 1e6, slowest(report), plain(minMegabytesPerSec))));
        }
        if (maxRttMillis != null) {
            RttStats rtt = report.rtt();
            if (rtt.samples() == 0) {
                failures.add(new CheckFailure(CheckFailure.Kind.RTT_HIGH,
                        "no ping was answered, so the RTT is not below --max-rtt " + plain(maxRttMillis) + " ms"));
            } else if (rtt.avg() > maxRttMillis) {
                failures.add(new CheckFailure(CheckFailure.Kind.RTT_HIGH, String.format(Locale.ROOT,
                        "average RTT %.3f ms is above --max-rtt %s ms", rtt.avg(), plain(maxRttMillis))));
            }
        }
        return failures;
    }

    /** " (down)" when several directions were measured, naming the slowest; "" otherwise. */
    private static String slowest(CheckReport report) {
        if (report.throughput().size() < 2) {
            return "";
        }
        return report.throughput().stream().min(java.util.Comparator.comparingDouble(Throughput::bytesPerSecond))
                .map(t -> " (" + t.direction() + ")").orElse("");
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
