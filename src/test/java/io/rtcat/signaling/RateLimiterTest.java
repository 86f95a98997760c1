package io.rtcat.signaling;

import static io.rtcat.signaling.RateLimiter.Verdict.DROP;
import static io.rtcat.signaling.RateLimiter.Verdict.DROP_AND_ANSWER;
import static io.rtcat.signaling.RateLimiter.Verdict.DROP_AND_CLOSE;
import static io.rtcat.signaling.RateLimiter.Verdict.PASS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    @Test
    void aFullBucketPassesTheBurstThenRefillsAtTheRate() {
        RateLimiter.Bucket b = new RateLimiter(2, 3, nanos::get).newBucket();
        assertEquals(PASS, b.take());
        assertEquals(PASS, b.take());
        assertEquals(PASS, b.take());
        assertEquals(DROP_AND_ANSWER, b.take());
        assertEquals(DROP, b.take());
        nanos.addAndGet(499_000_000L); // just under one token at 2/s
        assertEquals(DROP, b.take());
        nanos.addAndGet(2_000_000L);
        assertEquals(PASS, b.take());
        assertEquals(DROP_AND_ANSWER, b.take()); // a new run of drops is answered again
        nanos.addAndGet(60_000_000_000L); // a minute: refills to the burst, not beyond
        for (int i = 0; i < 3; i++) {
            assertEquals(PASS, b.take());
        }
        assertEquals(DROP_AND_ANSWER, b.take());
    }

    @Test
    void theThousandthDropClosesAndLaterDropsAreQuiet() {
        RateLimiter.Bucket b = new RateLimiter(1, 1, nanos::get).newBucket();
        assertEquals(PASS, b.take());
        assertEquals(DROP_AND_ANSWER, b.take());
        for (int i = 2; i < SignalingProtocol.MAX_DROPPED_MESSAGES; i++) {
            assertEquals(DROP, b.take());
        }
        assertEquals(DROP_AND_CLOSE, b.take());
        nanos.addAndGet(1_000_000_000L);
        assertEquals(PASS, b.take());
        assertEquals(DROP, b.take()); // past the limit: never answered again
    }

    @Test
    void rateZeroPassesEverything() {
        RateLimiter.Bucket b = new RateLimiter(0, 1, nanos::get).newBucket();
        for (int i = 0; i < 10_000; i++) {
            assertEquals(PASS, b.take());
        }
    }
}
