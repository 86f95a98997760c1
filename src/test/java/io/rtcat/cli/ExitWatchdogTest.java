package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExitWatchdogTest {

    @Test
    void aCleanUpThatHangsIsCutShort() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        ExitWatchdog.start(Duration.ofMillis(100), fired::countDown);
        assertTrue(fired.await(5, TimeUnit.SECONDS), "the watchdog never fired");
    }

    @Test
    void aCleanUpThatFinishesCancelsIt() throws Exception {
        AtomicInteger fired = new AtomicInteger();
        ExitWatchdog watchdog = ExitWatchdog.start(Duration.ofMillis(300), fired::incrementAndGet);
        watchdog.cancel();
        CountDownLatch later = new CountDownLatch(1);
        ExitWatchdog.start(Duration.ofMillis(600), later::countDown); // outlives the first one's grace
        assertTrue(later.await(5, TimeUnit.SECONDS));
        assertEquals(0, fired.get());
    }
}
