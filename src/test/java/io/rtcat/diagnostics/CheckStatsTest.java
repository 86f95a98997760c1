package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CheckStatsTest {

    @Test
    void minAvgMaxAndPopulationStddev() {
        RttStats s = RttStats.of(List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0));
        assertEquals(8, s.samples());
        assertEquals(2.0, s.min());
        assertEquals(5.0, s.avg(), 1e-12);
        assertEquals(9.0, s.max());
        assertEquals(2.0, s.stddev(), 1e-12);
    }

    @Test
    void orderOfSamplesDoesNotMatter() {
        assertEquals(RttStats.of(List.of(3.0, 1.0, 2.0)), RttStats.of(List.of(1.0, 2.0, 3.0)));
    }

    @Test
    void p95IsTheNearestRank() {
        List<Double> hundred = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            hundred.add((double) i);
        }
        assertEquals(95.0, RttStats.of(hundred).p95());
        // 20 pings: rank ceil(0.95 * 20) = 19.
        List<Double> twenty = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            twenty.add(i * 0.5);
        }
        assertEquals(9.5, RttStats.of(twenty).p95());
        // 3 samples: rank ceil(2.85) = 3, the largest.
        assertEquals(30.0, RttStats.of(List.of(10.0, 30.0, 20.0)).p95());
        assertEquals(20.0, RttStats.of(List.of(10.0, 30.0, 20.0)).p50());
        assertEquals(50.0, RttStats.of(hundred).p50());
        assertEquals(1.0, RttStats.percentile(new double[] {1, 2, 3, 4}, 25));
        assertEquals(4.0, RttStats.percentile(new double[] {4, 3, 2, 1}, 100));
    }

    @Test
    void oneSampleHasNoSpread() {
        RttStats s = RttStats.of(List.of(0.25));
        assertEquals(0.25, s.min());
        assertEquals(0.25, s.p95());
        assertEquals(0.25, s.max());
        assertEquals(0.0, s.stddev());
    }

    @Test
    void noSamplesIsAllZero() {
        RttStats s = RttStats.of(List.of());
        assertEquals(new RttStats(0, 0, 0, 0, 0, 0, 0), s);
        assertThrows(IllegalArgumentException.class, () -> RttStats.percentile(new double[0], 95));
        assertThrows(IllegalArgumentException.class, () -> RttStats.percentile(new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> RttStats.percentile(new double[] {1}, 101));
    }

    @Test
    void pingMessagesHaveTheDocumentedShape() {
        assertEquals("{\"type\":\"ping\",\"seq\":3,\"t\":123456789}", EchoProbe.message("ping", 3, 123456789L));
    }
}
