package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.cli.ExitCode;
import io.rtcat.stats.ConnectTimings;
import io.rtcat.stats.CandidateInfo;
import io.rtcat.stats.ConnectionStats;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CheckThresholdsTest {

    private static final ConnectTimings TIMINGS = new ConnectTimings(10, 25, 5);

    private static ConnectionStats path(String localType) {
        return new ConnectionStats(0.5, new CandidateInfo(localType, "udp", "10.0.0.1", 5000, null, null),
                new CandidateInfo("host", "udp", "10.0.0.2", 5001, null, null), "DTLS 1.2", "TLS_X", "client",
                "controlling", 0, 0);
    }

    /** 10 MB in one second (10 MB/s), average RTT 2 ms. */
    private static CheckReport report(ConnectionStats connection) {
        return new CheckReport("local", TIMINGS, RttStats.of(List.of(1.0, 2.0, 3.0)), 3, 3,
                List.of(new Throughput("up", 10_000_000, 1_000_000_000L)), connection);
    }

    private static List<CheckFailure.Kind> kinds(CheckThresholds t, CheckReport r) {
        return t.evaluate(r).stream().map(CheckFailure::kind).toList();
    }

    @Test
    void exitCodesAreTheDocumentedOnes() {
        assertEquals(85, ExitCode.of(CheckFailure.Kind.PATH_MISMATCH));
        assertEquals(86, ExitCode.of(CheckFailure.Kind.THROUGHPUT_LOW));
        assertEquals(87, ExitCode.of(CheckFailure.Kind.RTT_HIGH));
        assertEquals("path_mismatch", CheckFailure.Kind.PATH_MISMATCH.id());
    }

    @Test
    void noThresholdsNeverFail() {
        assertEquals(List.of(), kinds(CheckThresholds.none(), report(path("host"))));
        assertEquals(List.of(), kinds(CheckThresholds.none(), report(null)));
    }

    @Test
    void reportFigures() {
        CheckReport r = report(path("relay"));
        assertEquals(10_000_000.0, r.throughputBytesPerSecond(), 1e-6);
        assertEquals("relay", r.path());
        assertEquals(0, r.pingsLost());
        CheckReport instant = new CheckReport("local", TIMINGS, RttStats.of(List.of()), 3, 1,
                List.of(new Throughput("up", 5, 0)), null);
        assertEquals(0.0, instant.throughputBytesPerSecond());
        assertEquals(2, instant.pingsLost());
        assertEquals(40, instant.connectMillis());
    }

    @Test
    void expectedPath() {
        assertEquals(List.of(), kinds(new CheckThresholds("direct", null, null), report(path("host"))));
        assertEquals(List.of(), kinds(new CheckThresholds("direct", null, null), report(path("srflx"))));
        assertEquals(List.of(), kinds(new CheckThresholds("relay", null, null), report(path("relay"))));
        assertEquals(List.of(CheckFailure.Kind.PATH_MISMATCH),
                kinds(new CheckThresholds("relay", null, null), report(path("host"))));
        assertEquals(List.of(CheckFailure.Kind.PATH_MISMATCH),
                kinds(new CheckThresholds("direct", null, null), report(path("relay"))));
        List<CheckFailure> unknown = new CheckThresholds("direct", null, null).evaluate(report(null));
        assertEquals(CheckFailure.Kind.PATH_MISMATCH, unknown.get(0).kind());
        assertTrue(unknown.get(0).message().contains("unknown"), unknown.toString());
    }

    @Test
    void throughputIsInMegabytesPerSecond() {
        assertEquals(List.of(), kinds(new CheckThresholds(null, 10.0, null), report(path("host"))));
        List<CheckFailure> slow = new CheckThresholds(null, 10.5, null).evaluate(report(path("host")));
        assertEquals(CheckFailure.Kind.THROUGHPUT_LOW, slow.get(0).kind());
        assertEquals("throughput 10.00 MB/s is below --min-throughput 10.5 MB/s", slow.get(0).message());
    }

    @Test
    void theSlowestDirectionCounts() {
        CheckReport both = new CheckReport("remote", TIMINGS, RttStats.of(List.of(1.0)), 1, 1,
                List.of(new Throughput("up", 20_000_000, 1_000_000_000L), new Throughput("down", 4_000_000,
                        1_000_000_000L)), path("host"));
        assertEquals(4_000_000.0, both.throughputBytesPerSecond(), 1e-6);
        List<CheckFailure> slow = new CheckThresholds(null, 5.0, null).evaluate(both);
        assertEquals("throughput 4.00 MB/s (down) is below --min-throughput 5 MB/s", slow.get(0).message());
    }

    @Test
    void rttComparesTheAverage() {
        assertEquals(List.of(), kinds(new CheckThresholds(null, null, 2.0), report(path("host"))));
        List<CheckFailure> high = new CheckThresholds(null, null, 1.5).evaluate(report(path("host")));
        assertEquals(List.of(CheckFailure.Kind.RTT_HIGH), high.stream().map(CheckFailure::kind).toList());
        assertEquals("average RTT 2.000 ms is above --max-rtt 1.5 ms", high.get(0).message());
        CheckReport noPongs = new CheckReport("local", TIMINGS, RttStats.of(List.of()), 3, 0,
                List.of(new Throughput("up", 5, 1)), null);
        assertEquals(List.of(CheckFailure.Kind.RTT_HIGH), kinds(new CheckThresholds(null, null, 100.0), noPongs));
    }

    @Test
    void thePathDecidesTheExitCodeWhenEverythingFails() {
        List<CheckFailure> all = new CheckThresholds("relay", 1000.0, 0.001).evaluate(report(path("host")));
        assertEquals(3, all.size());
        assertEquals(Optional.of(CheckFailure.Kind.PATH_MISMATCH), CheckFailure.first(all).map(CheckFailure::kind));
        List<CheckFailure> two = new CheckThresholds(null, 1000.0, 0.001).evaluate(report(path("host")));
        assertEquals(86, ExitCode.ofCheck(two));
        assertEquals(Optional.empty(), CheckFailure.first(List.of()));
    }
}
