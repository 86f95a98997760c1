package io.rtcat.cli;

import io.rtcat.errors.Threads;
import java.time.Duration;

/**
 * Bounds the clean-up at exit. By then the work is done and reported, and only native resources are being freed;
 * should that hang (libwebrtc threads that never stop), a script must not wait forever for a finished rtcat.
 */
final class ExitWatchdog {

    /** How long the clean-up may take before the process exits without it. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private ExitWatchdog() {
    }

    /** Runs {@code onOverrun} after {@code grace} on a daemon thread, unless the process has ended by then. */
    static void start(Duration grace, Runnable onOverrun) {
        Threads.daemon("rtcat-exit-watchdog", () -> {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            onOverrun.run();
        }).start();
    }
}
