package io.rtcat.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StreamChoiceTest {

    @Test
    void shortPathsKeepOneStream() {
        assertEquals(1, StreamChoice.auto(0.4).width());
        assertEquals(1, StreamChoice.auto(15.0).width());
        assertEquals("auto: 2 ms RTT, short enough for one stream", StreamChoice.auto(2.0).reason());
        assertEquals("auto: <1 ms RTT, short enough for one stream", StreamChoice.auto(0.0).reason());
    }

    @Test
    void longPathsGetOneStreamPer15MillisecondsUpToEight() {
        assertEquals(2, StreamChoice.auto(20.0).width());
        assertEquals(7, StreamChoice.auto(101.0).width());
        assertEquals(StreamChoice.AUTO_MAX, StreamChoice.auto(400.0).width());
        assertEquals("auto: 101 ms RTT, one stream per 15 ms: 7 streams", StreamChoice.auto(101.0).reason());
    }

    @Test
    void anUnknownRttMeansOneStream() {
        assertEquals(1, StreamChoice.auto(null).width());
        assertEquals(1, StreamChoice.auto(Double.NaN).width());
        assertTrue(StreamChoice.auto(null).reason().contains("not measured"));
    }

    @Test
    void aFixedCountSaysSo() {
        assertEquals(new StreamChoice(5, "--streams 5"), StreamChoice.fixed(5));
    }

    @Test
    void aCleanProbeKeepsTheRttRule() {
        LossProbe.Result clean = new LossProbe.Result(new LossProbe.Leg(5000, 4999), null, 8 << 20, 1200);
        assertFalse(clean.lossy());
        StreamChoice c = StreamChoice.afterProbe(101.0, clean);
        assertEquals(7, c.width());
        assertEquals("auto: 101 ms RTT, 0.0% loss (1 of 5000 packets), one stream per 15 ms: 7 streams", c.reason());
    }

    @Test
    void aLossyProbeTakesFourTimesAsManyUpToTheLossyMaximum() {
        LossProbe.Result lossy = new LossProbe.Result(new LossProbe.Leg(400, 394), null, 500_000, 2000);
        assertTrue(lossy.lossy());
        assertEquals(0.015, lossy.lossRate(), 1e-9);
        assertEquals(8, StreamChoice.afterProbe(20.0, lossy).width());
        StreamChoice longPath = StreamChoice.afterProbe(101.0, lossy);
        assertEquals(28, longPath.width());
        assertEquals("auto: 101 ms RTT, 1.5% loss (6 of 400 packets), 4 streams per 15 ms on a lossy path: 28 streams",
                longPath.reason());
        assertEquals(StreamChoice.LOSSY_MAX, StreamChoice.afterProbe(400.0, lossy).width());
        assertTrue(StreamChoice.LOSSY_MAX <= Stripes.MAX_WIDTH, "a receiver accepts what auto may ask for");
    }

    @Test
    void oneLostPacketOrAVeryLowRateIsClean() {
        assertFalse(oneWay(300, 299).lossy(), "one packet: a SACK counted on one side only");
        assertFalse(oneWay(10_000, 9_990).lossy(), "0.1%");
        assertTrue(oneWay(1000, 997).lossy(), "0.3%");
        assertEquals(0, oneWay(10, 12).lost(), "more received than sent (counters read apart)");
        assertEquals(0, oneWay(0, 0).lossRate());
    }

    @Test
    void theAcknowledgementsOnTheWayBackCountToo() {
        LossProbe.Result both = new LossProbe.Result(new LossProbe.Leg(500, 499), new LossProbe.Leg(250, 248), 1, 1);
        assertEquals(750, both.sent());
        assertEquals(3, both.lost());
        assertTrue(both.lossy(), "one lost each way would not tell, three of 750 do");
        assertFalse(oneWay(500, 499).lossy(), "the data alone: one of 500");
        LossProbe.Result apart = new LossProbe.Result(new LossProbe.Leg(500, 501), new LossProbe.Leg(250, 249), 1, 1);
        assertEquals(0, apart.lost(), "a packet counted early one way and late the other cancels out");
    }

    private static LossProbe.Result oneWay(long sent, long received) {
        return new LossProbe.Result(new LossProbe.Leg(sent, received), null, 1, 1);
    }

    @Test
    void onlyPathsAutoWouldStripeAreProbed() {
        assertFalse(StreamChoice.worthProbing(null));
        assertFalse(StreamChoice.worthProbing(5.0));
        assertTrue(StreamChoice.worthProbing(20.0));
    }

    @Test
    void theProbeLastsTenRoundTripsBetweenHalfASecondAndThreeSeconds() {
        assertEquals(500, LossProbe.duration(20).toMillis());
        assertEquals(1010, LossProbe.duration(101).toMillis());
        assertEquals(3000, LossProbe.duration(400).toMillis());
    }
}
