package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SignalLoadTestResultTest {

    private static SignalLoadTest.Result result(long[] sorted, long expected, long errors) {
        return new SignalLoadTest.Result(4, 4, 1, expected, sorted.length, 2_000_000_000L, sorted, errors, null);
    }

    @Test
    void percentilesUseTheNearestRank() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        SignalLoadTest.Result r = result(hundred, 100, 0);
        assertEquals(50, r.percentileNanos(0.50));
        assertEquals(95, r.percentileNanos(0.95));
        assertEquals(99, r.percentileNanos(0.99));
        assertEquals(100, r.percentileNanos(1.0));
        assertEquals(100, r.maxNanos());
        assertEquals(50.0, r.messagesPerSecond(), 1e-9);
        assertTrue(r.complete());
        SignalLoadTest.Result one = result(new long[] {7}, 1, 0);
        assertEquals(7, one.percentileNanos(0.01));
        assertEquals(7, one.percentileNanos(0.99));
    }

    @Test
    void emptyOrLossyRunsAreNotComplete() {
        SignalLoadTest.Result none = result(new long[0], 10, 0);
        assertEquals(0, none.percentileNanos(0.99));
        assertEquals(0, none.maxNanos());
        assertFalse(none.complete());
        assertFalse(result(new long[] {1, 2}, 2, 1).complete());
    }

    @Test
    void settingsAreChecked() {
        URI url = URI.create("ws://127.0.0.1:1/");
        Duration t = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new SignalLoadTest.Settings(url, 3, 1, 1, Duration.ZERO, t));
        assertThrows(IllegalArgumentException.class, () -> new SignalLoadTest.Settings(url, 2, 0, 1, Duration.ZERO, t));
        assertThrows(IllegalArgumentException.class,
                () -> new SignalLoadTest.Settings(url, 2, 1, 1, Duration.ofMillis(-1), t));
    }

    @Test
    void numbersAreReadAfterTheirField() {
        String relayed = "{\"type\":\"offer\",\"target\":\"b\",\"seq\":12,\"pad\":\"xx\",\"t\":-987654321,\"sender\":\"a\"}";
        assertEquals(12, SignalLoadTest.numberAfter(relayed, ",\"seq\":"));
        assertEquals(-987654321L, SignalLoadTest.numberAfter(relayed, ",\"t\":"));
        assertEquals(Long.MIN_VALUE, SignalLoadTest.numberAfter("{\"type\":\"joined\"}", ",\"t\":"));
        assertEquals(-1, SignalLoadTest.numberAfter("{\"type\":\"x\",\"seq\":\"no\"}", ",\"seq\":"));
    }
}
