package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExitWatchdogTest {

    @Test
    void aCleanUpThatHangsIsCutShortAfterTheGrace() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        long start = System.nanoTime();
        ExitWatchdog.start(Duration.ofMillis(300), fired::countDown);
        assertFalse(fired.await(100, TimeUnit.MILLISECONDS), "fired before its grace");
        assertTrue(fired.await(5, TimeUnit.SECONDS), "the watchdog never fired");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
    }
}
