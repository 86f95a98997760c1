package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RTT rtcat reports and --streams auto decides by: one delayed STUN check must not make a LAN path look long. */
class PathRttTest {

    @Test
    void aSpikeInTheLatestCheckGivesWayToTheMeanOfAllChecks() {
        // four checks of 1 ms and a last one of 22 ms (seen on a veth link right after connecting)
        Map<String, Object> pair = Map.of("currentRoundTripTime", 0.022, "totalRoundTripTime", 0.026,
                "responsesReceived", BigInteger.valueOf(5));
        assertEquals(5.2, StatsMapper.pathRttMillis(pair), 1e-9);
    }

    @Test
    void aSteadyPathKeepsItsLatestFigure() {
        Map<String, Object> pair = Map.of("currentRoundTripTime", 0.100, "totalRoundTripTime", 0.520,
                "responsesReceived", 5L);
        assertEquals(100.0, StatsMapper.pathRttMillis(pair), 1e-9);
    }

    @Test
    void missingFiguresAreNull() {
        assertNull(StatsMapper.pathRttMillis(Map.of()));
        assertEquals(3.0, StatsMapper.pathRttMillis(Map.of("totalRoundTripTime", 0.006, "responsesReceived", 2)),
                1e-9);
        assertEquals(7.0, StatsMapper.pathRttMillis(Map.of("currentRoundTripTime", 0.007)), 1e-9);
    }
}
