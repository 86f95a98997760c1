package io.rtcat.errors;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Waits on futures with a deadline and turns every way that can end into an {@link RtcatException}. */
public final class Futures {

    private Futures() {
    }

    /**
     * Waits up to {@code timeoutNanos}. A timeout becomes TIMEOUT "timed out STEP", an interrupt
     * INTERRUPTED, an {@link RtcatException} failure is rethrown as is, anything else UNAVAILABLE
     * "STEP failed: cause". {@code step} is read when the wait ends, so it can say how far things got.
     */
    public static <T> T await(Future<T> future, long timeoutNanos, Supplier<String> step) throws RtcatException {
        try {
            return future.get(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RtcatException(RtcatException.Kind.TIMEOUT, "timed out " + step.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while " + step.get());
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RtcatException r) {
                throw r;
            }
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, step.get() + " failed: " + cause, null, cause);
        }
    }

    /** The result if the future completes within the wait, else null; for optional extras like stats. */
    public static <T> T poll(Future<T> future, long timeoutNanos) {
        try {
            return await(future, timeoutNanos, () -> "");
        } catch (RtcatException e) {
            return null;
        }
    }

    /**
     * Waits up to {@code timeout} for {@code future} to end, however it ends, even on an interrupted thread (a
     * user's Ctrl-C must not cut short a goodbye that is already under way); the interrupt flag is restored
     * afterwards. Returns whether it ended within the wait.
     */
    public static boolean awaitQuietly(Future<?> future, Duration timeout) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting out the rest of the bound
                } catch (ExecutionException | CancellationException e) {
                    return true;
                } catch (TimeoutException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Strips the ExecutionException/CompletionException layers that futures add around a failure. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
