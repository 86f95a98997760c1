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
        ConnectTimings t = ConnectTimings.of(1000 * MS, 1100 * MS, 1130 * MS, 1170 * MS, 1180 * MS);
        assertEquals(new ConnectTimings(100, 30, 40, 10), t);
        assertEquals(180, t.totalMillis());
    }

    @Test
    void aMissedEventMergesIntoTheNextPhase() {
        // ICE "connected" not seen: it counts as happening with DTLS, so ICE takes the whole gap.
        assertEquals(new ConnectTimings(100, 70, 0, 10),
                ConnectTimings.of(1000 * MS, 1100 * MS, 0, 1170 * MS, 1180 * MS));
        // Nothing seen but the start and the open channel: it all counts as signaling.
        assertEquals(new ConnectTimings(50, 0, 0, 0), ConnectTimings.of(1000 * MS, 0, 0, 0, 1050 * MS));
    }

    @Test
    void outOfOrderEventsNeverMakeNegativePhases() {
        // The answerer can see ICE connected before its "answer sent" was recorded.
        ConnectTimings t = ConnectTimings.of(1000 * MS, 1120 * MS, 1110 * MS, 1150 * MS, 1160 * MS);
        assertEquals(160, t.totalMillis());
        assertEquals(110, t.signalingMillis());
        assertEquals(0, t.iceMillis());
    }
}
