package io.rtcat.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
