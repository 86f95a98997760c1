package io.rtcat.cli;

import io.rtcat.errors.Threads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * One interrupt path for every command: SIGINT (Ctrl-C) and SIGTERM (timeout, systemd, CI runners) interrupt the
 * command's thread, which unwinds exactly as after a lost connection (partial files kept for resuming, the peer
 * told it was cancelled) and ends with 130 or 143 and its usual error report.
 *
 * <p>Why signal handlers and not shutdown hooks: a hook runs only once the JVM has already begun to exit, beside
 * a command that is still running; the exit status is then fixed by the JVM, and whatever the command prints
 * while being torn down (a network error, half a JSON document) races with the exit. With a handler the JVM does
 * not start to exit at all: the command is asked to stop, reports once, and {@code Main} exits normally. Where
 * the handlers cannot be installed (a JVM started with -Xrs, another platform) the JVM's default stays.
 *
 * <p>Bounded: if the command has not unwound after {@link #GRACE}, or a second signal comes, the report is
 * printed from here and the process halts with the same code.
 */
final class Interrupts {

    /** How long a command may take to unwind after a signal. */
    static final Duration GRACE = Duration.ofSeconds(5);

    /** A received signal: its name and the exit code it gives (128 + its number). */
    enum Received {
        INT(130), TERM(143);

        final int exitCode;

        Received(int exitCode) {
            this.exitCode = exitCode;
        }

        String signalName() {
            return "SIG" + name();
        }
    }

    /** The shortest clean-up at exit still granted after a signal (see {@link #exitCleanupLimit}). */
    static final Duration MIN_EXIT_CLEANUP = Duration.ofSeconds(1);

    private static final AtomicReference<Received> RECEIVED = new AtomicReference<>();
    private static volatile long receivedAtNanos;
    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();
    private static volatile Thread worker;
    private static volatile Runnable lastWords = () -> { };
    private static volatile boolean done;
    private static volatile int finishedCode;
    private static volatile IntConsumer halt = code -> Runtime.getRuntime().halt(code);

    private Interrupts() {
    }

    /**
     * Installs the handlers; {@code commandThread} is interrupted on the first signal.
     *
     * @return false where the platform does not allow it (the JVM's default behaviour stays)
     */
    static boolean install(Thread commandThread) {
        worker = commandThread;
        try {
            for (Received r : Received.values()) {
                sun.misc.Signal.handle(new sun.misc.Signal(r.name()), s -> onSignal(r));
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }

    /**
     * How long the clean-up at exit may take. After a signal, what is left of {@link #GRACE} since it came (at
     * least {@link #MIN_EXIT_CLEANUP}): whoever pressed Ctrl-C or sent SIGTERM waits for the whole, and an
     * unwinding near its limit followed by a full {@code normal} clean-up would double it. Otherwise
     * {@code normal}.
     */
    static Duration exitCleanupLimit(Duration normal, long nowNanos) {
        if (RECEIVED.get() == null) {
            return normal;
        }
        Duration left = GRACE.minusNanos(nowNanos - receivedAtNanos);
        return left.compareTo(MIN_EXIT_CLEANUP) < 0 ? MIN_EXIT_CLEANUP : left;
    }

    /** The first signal received, or null. */
    static Received received() {
        return RECEIVED.get();
    }

    /** Runs {@code action} on the first signal (e.g. to stop a server loop); at once if one already came. */
    static void onSignal(Runnable action) {
        LISTENERS.add(action);
        if (RECEIVED.get() != null) {
            action.run();
        }
    }

    static void removeListener(Runnable action) {
        LISTENERS.remove(action);
    }

    /** What to print if the command does not unwind in time: its one report (once only; the caller guards). */
    static void lastWords(Runnable report) {
        lastWords = report;
    }

    /** The command has reported and ends with {@code code}; a later signal only cuts the clean-up short. */
    static void commandDone(int code) {
        finishedCode = code;
        done = true;
    }

    /** Test seam: forget any signal, watch {@code commandThread}, halt through {@code halter}. */
    static void resetForTest(Thread commandThread, IntConsumer halter) {
        RECEIVED.set(null);
        LISTENERS.clear();
        worker = commandThread;
        lastWords = () -> { };
        done = false;
        halt = halter;
    }

    /** Also called by tests, as the handler thread would. */
    static void onSignal(Received r) {
        long now = System.nanoTime();
        if (!RECEIVED.compareAndSet(null, r)) {
            giveUp(RECEIVED.get()); // a second signal: the user means it
            return;
        }
        receivedAtNanos = now;
        if (done) {
            return; // the command has finished and reported; the exit itself is bounded by ExitWatchdog
        }
        for (Runnable listener : LISTENERS) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // one listener must not keep the others (or the interrupt) from running
            }
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
        Threads.daemon("rtcat-interrupt-watchdog", () -> {
            try {
                Thread.sleep(GRACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (!done) {
                giveUp(r);
            }
        }).start();
    }

    private static void giveUp(Received r) {
        if (done) {
            halt.accept(finishedCode);
            return;
        }
        lastWords.run();
        halt.accept(r.exitCode);
    }
}
