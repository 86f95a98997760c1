package io.rtcat.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConnectTimingsTest {

    private static final long MS = 1_000_000;

    @Test
    void phasesAreTheGapsBetweenEvents() {
        ConnectTimings t = ConnectTimings.of(1000 * MS, 1100 * MS, 1170 * MS, 1180 * MS);
        assertEquals(new ConnectTimings(100, 70, 10), t);
        assertEquals(180, t.totalMillis());
    }

    @Test
    void aMissedEventMergesIntoItsPhase() {
        // "connected" not seen: it counts as happening with the channel opening.
        assertEquals(new ConnectTimings(100, 80, 0), ConnectTimings.of(1000 * MS, 1100 * MS, 0, 1180 * MS));
        // Nothing seen but the start and the open channel: it all counts as signaling.
        assertEquals(new ConnectTimings(50, 0, 0), ConnectTimings.of(1000 * MS, 0, 0, 1050 * MS));
    }

    @Test
    void outOfOrderEventsNeverMakeNegativePhases() {
        // The answerer can see the connection up before its "answer sent" was recorded.
        ConnectTimings t = ConnectTimings.of(1000 * MS, 1120 * MS, 1110 * MS, 1150 * MS);
        assertEquals(150, t.totalMillis());
        assertEquals(110, t.signalingMillis());
        assertEquals(0, t.iceDtlsMillis());
    }

    @Test
    void negativeNanoTimesWork() {
        // System.nanoTime may be negative; only differences count.
        long base = -5_000 * MS;
        assertEquals(new ConnectTimings(10, 20, 30),
                ConnectTimings.of(base, base + 10 * MS, base + 30 * MS, base + 60 * MS));
    }
}
