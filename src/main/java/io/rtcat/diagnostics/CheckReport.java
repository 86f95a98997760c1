package io.rtcat.diagnostics;

import io.rtcat.stats.ConnectTimings;
import io.rtcat.stats.ConnectionStats;
import java.util.List;

/**
 * What {@code rtcat check} measured.
 *
 * @param mode          "local" (both peers in this process) or "remote" (against {@code rtcat respond})
 * @param pingsSent     pings the checker sent
 * @param pingsAnswered pongs that came back within the timeout
 * @param throughput    one entry per measured direction ("up", "down"), in that order
 * @param connection    the selected pair after the throughput run; null if stats could not be read
 * @param media         the media check's report (then there is no throughput run); null without --media
 */
public record CheckReport(String mode, ConnectTimings timings, RttStats rtt, int pingsSent, int pingsAnswered,
        List<Throughput> throughput, ConnectionStats connection, MediaReport media) {

    public CheckReport {
        throughput = List.copyOf(throughput);
    }

    /** A data check's report: no media. */
    public CheckReport(String mode, ConnectTimings timings, RttStats rtt, int pingsSent, int pingsAnswered,
            List<Throughput> throughput, ConnectionStats connection) {
        this(mode, timings, rtt, pingsSent, pingsAnswered, throughput, connection, null);
    }

    public long connectMillis() {
        return timings.totalMillis();
    }

    public int pingsLost() {
        return pingsSent - pingsAnswered;
    }

    /** The slowest measured direction in bytes per second (what --min-throughput checks); 0 if none. */
    public double throughputBytesPerSecond() {
        return throughput.stream().mapToDouble(Throughput::bytesPerSecond).min().orElse(0);
    }

    /** "direct" or "relay", null when unknown. */
    public String path() {
        return connection == null ? null : connection.path();
    }
}
