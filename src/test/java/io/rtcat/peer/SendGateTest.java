package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SendGateTest {

    private static final long PARK = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long LONG_STALL = TimeUnit.SECONDS.toNanos(30);

    /**
     * A fake channel queue: each poll of bufferedAmount() first drains {@code drainPerPoll} bytes (the network
     * thread made progress since the last look), then reports what is left. The test adds each message to the
     * queue after acquire() returns, as the real send does.
     */
    static final class FakeChannel implements SendGate.Probe {
        final AtomicLong queued = new AtomicLong();
        final AtomicInteger polls = new AtomicInteger();
        final long drainPerPoll;
        volatile boolean open = true;
        final CountDownLatch firstPoll = new CountDownLatch(1);

        FakeChannel(long initial, long drainPerPoll) {
            queued.set(initial);
            this.drainPerPoll = drainPerPoll;
        }

        @Override
        public long bufferedAmount() {
            polls.incrementAndGet();
            long left = queued.updateAndGet(q -> Math.max(0, q - drainPerPoll));
            firstPoll.countDown();
            return left;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        void send(int size) {
            queued.addAndGet(size);
        }
    }

    /** A gate whose local bound is already at the watermark, over a queue that holds that much. */
    private static SendGate fullGate(FakeChannel ch, long watermark, long parkNanos, long stallNanos)
            throws Exception {
        SendGate gate = new SendGate(watermark, ch, parkNanos, stallNanos);
        gate.acquire((int) watermark);
        ch.send((int) watermark);
        assertEquals(0, ch.polls.get(), "filling up to the watermark needs no poll");
        return gate;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 4096, 64 * 1024, 1024 * 1024})
    void neverExceedsTheWatermark(long drainPerPoll) throws Exception {
        long watermark = 256 * 1024;
        FakeChannel ch = new FakeChannel(0, drainPerPoll);
        SendGate gate = new SendGate(watermark, ch, 0, LONG_STALL);
        Random random = new Random(42);
        int messages = drainPerPoll == 1 ? 300 : 3000;
        for (int i = 0; i < messages; i++) {
            int size = 1 + random.nextInt(64 * 1024);
            gate.acquire(size);
            long before = ch.queued.get();
            assertTrue(before + size <= watermark,
                    "message " + i + ": queued " + before + " + size " + size + " exceeds " + watermark);
            ch.send(size);
            assertTrue(gate.bound() >= ch.queued.get(),
                    "the gate's bound " + gate.bound() + " must not be below the real queue " + ch.queued.get());
            assertTrue(gate.bound() <= watermark, "bound " + gate.bound());
        }
        assertEquals(ch.polls.get(), gate.polls(), "the gate counts its own polls");
    }

    @Test
    void pollsFarLessOftenThanItSendsWhenTheQueueStaysLow() throws Exception {
        long watermark = 1024 * 1024;
        // The network keeps up: by the time the gate looks, everything has gone out.
        FakeChannel ch = new FakeChannel(0, Long.MAX_VALUE);
        SendGate gate = new SendGate(watermark, ch, PARK, LONG_STALL);
        int messages = 10_000;
        int size = 16 * 1024;
        for (int i = 0; i < messages; i++) {
            gate.acquire(size);
            ch.send(size);
        }
        // One poll per watermark's worth of data: 10000 * 16K / 1M ≈ 157.
        assertTrue(ch.polls.get() > 0, "the gate must poll once its local bound fills");
        assertTrue(ch.polls.get() <= messages / 50, "polled " + ch.polls.get() + " times for " + messages + " messages");
    }

    @Test
    void aLoweredWatermarkHoldsSendersSoonerAndIsNeverRaised() throws Exception {
        FakeChannel ch = new FakeChannel(0, 0);
        SendGate gate = new SendGate(1024 * 1024, ch, PARK, LONG_STALL);
        gate.acquire(64 * 1024);
        ch.send(64 * 1024);
        gate.lowerWatermark(128 * 1024);
        gate.lowerWatermark(4 * 1024 * 1024); // not raised again
        assertEquals(128 * 1024, gate.highWatermark());
        gate.acquire(64 * 1024); // fits: 128 KiB queued
        ch.send(64 * 1024);
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                gate.acquire(64 * 1024);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(ch.firstPoll.await(10, TimeUnit.SECONDS), "the third message must look at the queue");
        assertFalse(third.isDone(), "192 KiB would exceed the lowered watermark");
        ch.queued.set(0); // the network took it
        third.get(10, TimeUnit.SECONDS);
        assertThrows(IllegalArgumentException.class, () -> gate.lowerWatermark(0));
    }

    @Test
    void firstMessagesUnderTheWatermarkDoNotPoll() throws Exception {
        FakeChannel ch = new FakeChannel(0, 0);
        SendGate gate = new SendGate(64 * 1024, ch, PARK, LONG_STALL);
        for (int i = 0; i < 4; i++) {
            gate.acquire(16 * 1024);
        }
        assertEquals(0, ch.polls.get());
        assertEquals(64 * 1024, gate.bound());
        assertEquals(64 * 1024, gate.highWatermark());
    }

    @Test
    void messageLargerThanTheWatermarkWaitsForAnEmptyQueue() throws Exception {
        long watermark = 64 * 1024;
        FakeChannel ch = new FakeChannel(0, 8 * 1024);
        SendGate gate = new SendGate(watermark, ch, 0, LONG_STALL);
        gate.acquire(60 * 1024);
        ch.send(60 * 1024);
        int big = 100 * 1024;
        gate.acquire(big);
        assertEquals(0, ch.queued.get(), "an oversized message may only go when the queue is empty");
        assertTrue(ch.polls.get() >= 60 / 8, "it had to wait for the queue to drain: polls " + ch.polls.get());
        assertEquals(big, gate.bound());
        ch.send(big);
        // The next message has to wait for the oversized one to drain below the watermark.
        gate.acquire(1024);
        assertTrue(ch.queued.get() + 1024 <= watermark, "queued " + ch.queued.get());
    }

    @Test
    void closedChannelFailsPromptly() throws Exception {
        FakeChannel ch = new FakeChannel(0, 0);
        SendGate gate = fullGate(ch, 64 * 1024, PARK, LONG_STALL);
        ch.open = false;
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> gate.acquire(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "should not wait for the stall timeout");
    }

    @Test
    void channelClosingWhileWaitingFails() throws Exception {
        FakeChannel ch = new FakeChannel(0, 0);
        SendGate gate = fullGate(ch, 64 * 1024, PARK, LONG_STALL);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> blocked = pool.submit(() -> {
                gate.acquire(1);
                return null;
            });
            assertTrue(ch.firstPoll.await(10, TimeUnit.SECONDS), "the gate should poll a full queue");
            assertFalse(blocked.isDone(), "a full queue that does not drain must block");
            ch.open = false;
            ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void queueThatNeverDrainsStalls() throws Exception {
        long stall = TimeUnit.MILLISECONDS.toNanos(50);
        FakeChannel ch = new FakeChannel(0, 0);
        SendGate gate = fullGate(ch, 64 * 1024, PARK, stall);
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> gate.acquire(1024));
        long waited = System.nanoTime() - start;
        assertTrue(e.getMessage().contains("stalled"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(64 * 1024)), "names the queued bytes: " + e.getMessage());
        assertTrue(waited >= stall, "gave up after " + waited + " ns, before the stall timeout");
        assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "took " + waited + " ns");
    }

    @Test
    void slowButSteadyDrainIsNotAStall() throws Exception {
        // Each poll drains 1 byte: far too slow to fit quickly, but it always moves, so no stall.
        long stall = TimeUnit.MILLISECONDS.toNanos(50);
        FakeChannel ch = new FakeChannel(0, 1);
        SendGate gate = fullGate(ch, 64 * 1024, 0, stall);
        gate.acquire(200);
        assertTrue(ch.queued.get() + 200 <= 64 * 1024);
        assertTrue(ch.polls.get() >= 200, "polls " + ch.polls.get());
    }

    @Test
    void interruptBeforeWaitingThrowsInterruptedException() throws Exception {
        FakeChannel ch = new FakeChannel(0, 0);
        SendGate gate = fullGate(ch, 64 * 1024, PARK, LONG_STALL);
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> gate.acquire(1024));
        } finally {
            Thread.interrupted(); // never leak the flag into other tests
        }
    }

    @Test
    void interruptWhileWaitingThrowsInterruptedException() throws Exception {
        FakeChannel ch = new FakeChannel(0, 0);
        SendGate gate = fullGate(ch, 64 * 1024, TimeUnit.MILLISECONDS.toNanos(1), LONG_STALL);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            Thread[] worker = new Thread[1];
            Future<Throwable> result = pool.submit(() -> {
                worker[0] = Thread.currentThread();
                started.countDown();
                try {
                    gate.acquire(1024);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(ch.firstPoll.await(10, TimeUnit.SECONDS), "the gate should be polling");
            worker[0].interrupt();
            Throwable t = result.get(10, TimeUnit.SECONDS);
            assertTrue(t instanceof InterruptedException, "expected InterruptedException, got " + t);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 8L * 1024 * 1024 + 1, 16L * 1024 * 1024})
    void constructorRejectsBadWatermark(long watermark) {
        FakeChannel ch = new FakeChannel(0, 0);
        assertThrows(IllegalArgumentException.class, () -> new SendGate(watermark, ch, PARK, LONG_STALL));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 64 * 1024, 8L * 1024 * 1024})
    void constructorAcceptsWatermarkUpToHalfTheLibwebrtcLimit(long watermark) {
        SendGate gate = new SendGate(watermark, new FakeChannel(0, 0));
        assertEquals(watermark, gate.highWatermark());
        assertEquals(0, gate.bound());
        assertEquals(0, gate.polls());
    }
}
