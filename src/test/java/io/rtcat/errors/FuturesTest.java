package io.rtcat.errors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void awaitQuietlyWaitsOnAnInterruptedThreadAndRestoresTheFlag() {
        CompletableFuture<Void> goodbye = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> goodbye.complete(null));
        Thread.currentThread().interrupt();
        try {
            assertTrue(Futures.awaitQuietly(goodbye, Duration.ofSeconds(30)), "an interrupt must not cut the wait short");
            assertTrue(goodbye.isDone());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag comes back");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void awaitQuietlySaysWhetherTheFutureEndedWithinTheBound() {
        assertFalse(Futures.awaitQuietly(new CompletableFuture<>(), Duration.ofMillis(20)));
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(Futures.awaitQuietly(CompletableFuture.failedFuture(new IllegalStateException()), Duration.ZERO));
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        cancelled.cancel(true);
        assertTrue(Futures.awaitQuietly(cancelled, Duration.ZERO));
    }
}
