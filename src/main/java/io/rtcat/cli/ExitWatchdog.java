package io.rtcat.cli;

import java.time.Duration;

/**
 * Bounds the clean-up at exit. By then the work is done and reported, and only native resources are being freed;
 * should that hang (libwebrtc threads that never stop), a script must not wait forever for a finished rtcat.
 */
final class ExitWatchdog {

    /** How long freeing native resources may take before the process exits without it. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Thread thread;

    private ExitWatchdog(Thread thread) {
        this.thread = thread;
    }

    /** Runs {@code onOverrun} after {@code grace} unless {@link #cancel} comes first. */
    static ExitWatchdog start(Duration grace, Runnable onOverrun) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException cancelled) {
                return;
            }
            onOverrun.run();
        }, "rtcat-exit-watchdog");
        t.setDaemon(true);
        t.start();
        return new ExitWatchdog(t);
    }

    void cancel() {
        thread.interrupt();
    }
}
