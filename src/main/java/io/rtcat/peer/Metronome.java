package io.rtcat.peer;

import io.rtcat.errors.Threads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs one task at a fixed rate on a daemon thread of its own, for the synthetic media generators. */
final class Metronome implements AutoCloseable {

    private final ScheduledExecutorService timer;

    Metronome(String threadName) {
        this.timer = Threads.scheduler(threadName);
    }

    void start(Runnable task, long periodNanos) {
        timer.scheduleAtFixedRate(task, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops ticking and waits (briefly) for a tick in progress, so nothing is pushed after this returns. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
