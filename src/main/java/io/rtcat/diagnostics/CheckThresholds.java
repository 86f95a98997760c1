package io.rtcat.diagnostics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The pass/fail limits of {@code rtcat check}; null means "not checked".
 *
 * @param expectPath         "direct" or "relay"
 * @param minMegabytesPerSec minimum throughput in MB/s (10^6 bytes per second)
 * @param maxRttMillis       maximum average ping round trip in milliseconds
 * @param expectGrade        lowest acceptable media verdict grade ({@link MediaVerdict#GRADES})
 * @param minBitrateKbps     lowest acceptable settled received bitrate of a media check (video, or audio alone)
 */
public record CheckThresholds(String expectPath, Double minMegabytesPerSec, Double maxRttMillis, String expectGrade,
        Double minBitrateKbps) {

    public CheckThresholds(String expectPath, Double minMegabytesPerSec, Double maxRttMillis) {
        this(expectPath, minMegabytesPerSec, maxRttMillis, null, null);
    }

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
        MediaReport media = report.media();
        if (media != null && expectGrade != null && !media.verdict().atLeast(expectGrade)) {
            failures.add(new CheckFailure(CheckFailure.Kind.MEDIA_LOW, "expected media good for at least "
                    + expectGrade + " but the verdict is " + media.verdict().grade() + ": " + media.verdict().text()));
        }
        if (media != null && minBitrateKbps != null) {
            double got = media.video() != null ? media.video().settledKbps()
                    : media.audio() != null ? media.audio().receivedKbps() : 0;
            if (got < minBitrateKbps) {
                failures.add(new CheckFailure(CheckFailure.Kind.MEDIA_LOW, String.format(Locale.ROOT,
                        "received %s bitrate %.0f kbit/s is below --min-bitrate %s kbit/s",
                        media.video() != null ? "video" : "audio", got, plain(minBitrateKbps))));
            }
        }
        return failures;
    }

    /** " (down)" when several directions were measured, naming the slowest; "" otherwise. */
    private static String slowest(CheckReport report) {
        if (report.throughput().size() < 2) {
            return "";
        }
        return report.throughput().stream().min(Comparator.comparingDouble(Throughput::bytesPerSecond))
                .map(t -> " (" + t.direction() + ")").orElse("");
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
