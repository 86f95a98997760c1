package io.rtcat.diagnostics;

import java.util.Arrays;
import java.util.List;

/**
 * Round-trip times of the answered pings of {@code rtcat check}, in milliseconds.
 *
 * @param p50    median by the nearest-rank method (as p95); unlike the average, a few retransmitted pings on a
 *               lossy path do not move it
 * @param p95    95th percentile by the nearest-rank method (the smallest sample with at least 95% of the
 *               samples at or below it)
 * @param stddev population standard deviation
 */
public record RttStats(int samples, double min, double avg, double max, double p50, double p95, double stddev) {

    /** Statistics of {@code millis}; all zero with {@code samples == 0} when the list is empty. */
    public static RttStats of(List<Double> millis) {
        if (millis.isEmpty()) {
            return new RttStats(0, 0, 0, 0, 0, 0, 0);
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double avg = sum / sorted.length;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - avg) * (v - avg);
        }
        return new RttStats(sorted.length, sorted[0], avg, sorted[sorted.length - 1], percentile(sorted, 50),
                percentile(sorted, 95),
                Math.sqrt(squares / sorted.length));
    }

    /** Nearest-rank percentile of ascending {@code sorted} values; {@code p} in (0, 100]. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        double[] copy = Arrays.copyOf(sorted, sorted.length);
        Arrays.sort(copy);
        int rank = (int) Math.ceil(p / 100.0 * copy.length);
        return copy[Math.max(1, rank) - 1];
    }
}
