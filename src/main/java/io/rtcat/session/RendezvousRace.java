package io.rtcat.session;

import io.rtcat.errors.Futures;
import io.rtcat.errors.Describe;
import io.rtcat.errors.RtcatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts several {@link Rendezvous} at once and keeps the first <em>authenticated</em> peer; the others are
 * closed (and a peer one of them still hands out later is closed too). When every way fails, or the deadline
 * passes, one line says what was tried and why each failed.
 */
public final class RendezvousRace {

    /** The winner: the peer and how it was met (the rendezvous' {@link Rendezvous#name()}). */
    public record Met(RemotePeer peer, String how) {
    }

    private RendezvousRace() {
    }

    /**
     * @param ways     started in order; each is closed before this returns (a winner's peer stays open)
     * @param timeout  overall bound; each way should also give up by itself
     * @param progress told "met via ..." and each way's failure, for verbose output
     */
    public static Met run(List<? extends Rendezvous> ways, Duration timeout, Consumer<String> progress)
            throws RtcatException {
        return run(ways, timeout, progress, false);
    }

    /**
     * @param wrongCodeEnds a PAKE that ran to its end and failed (a wrong code, {@code Kind.FAILED}) on any way
     *                      ends the whole race: for the side that waits with a code (`send`), which allows one
     *                      completed guess per run, not one per way
     */
    public static Met run(List<? extends Rendezvous> ways, Duration timeout, Consumer<String> progress,
            boolean wrongCodeEnds) throws RtcatException {
        if (ways.isEmpty()) {
            throw new RtcatException(RtcatException.Kind.USAGE, "no way to meet the peer is configured",
                    "give --from HOST:PORT or --signal URL, or configure trackers (RTCAT_TRACKERS)");
        }
        CompletableFuture<Met> winner = new CompletableFuture<>();
        List<String> failures = new ArrayList<>();
        List<CompletableFuture<RemotePeer>> started = new ArrayList<>();
        try {
            for (Rendezvous way : ways) {
                CompletableFuture<RemotePeer> f;
                try {
                    f = way.start();
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                started.add(f);
                f.whenComplete((peer, error) -> {
                    if (peer != null) {
                        if (!winner.complete(new Met(peer, way.name()))) {
                            peer.close(); // a later success: the race is decided
                        }
                        return;
                    }
                    Throwable cause = Futures.unwrap(error);
                    String why = Describe.failure(cause);
                    progress.accept(way.name() + ": " + why);
                    if (wrongCodeEnds && cause instanceof RtcatException r && r.kind() == RtcatException.Kind.FAILED) {
                        winner.completeExceptionally(r);
                        return;
                    }
                    boolean allFailed;
                    synchronized (failures) {
                        failures.add(way.name() + ": " + why);
                        allFailed = failures.size() == ways.size();
                    }
                    if (allFailed) {
                        winner.completeExceptionally(allFailed(ways, failures, started));
                    }
                });
            }
            return winner.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            List<String> tried = new ArrayList<>();
            for (Rendezvous way : ways) {
                tried.add(way.name());
            }
            RtcatException timedOut = new RtcatException(RtcatException.Kind.TIMEOUT, "no peer met within "
                    + timeout.toSeconds() + " s; tried " + String.join(", ", tried)
                    + (failures.isEmpty() ? "" : " (" + joined(failures) + ")"));
            winner.completeExceptionally(timedOut);
            return Futures.await(winner, 0, () -> "meeting the peer"); // decided just now, or throws
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            winner.completeExceptionally(new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted"));
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while meeting the peer");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof RtcatException r) {
                throw r;
            }
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "meeting the peer failed: " + cause, null, cause);
        } finally {
            for (Rendezvous way : ways) {
                way.close();
            }
        }
    }

    /**
     * The kind tells the user what to do: a wrong code (FAILED) beats everything, a deadline beats an
     * unreachable server, since a retry may help.
     */
    private static RtcatException allFailed(List<? extends Rendezvous> ways, List<String> failures,
            List<CompletableFuture<RemotePeer>> started) {
        RtcatException.Kind kind = RtcatException.Kind.UNAVAILABLE;
        RtcatException only = null;
        for (CompletableFuture<RemotePeer> f : started) {
            Throwable t = f.isCompletedExceptionally() ? Futures.unwrap(f.handle((p, e) -> e).join()) : null;
            if (t instanceof RtcatException r) {
                only = r;
                if (r.kind() == RtcatException.Kind.FAILED || r.kind() == RtcatException.Kind.PROTOCOL) {
                    kind = r.kind();
                } else if (r.kind() == RtcatException.Kind.TIMEOUT && kind == RtcatException.Kind.UNAVAILABLE) {
                    kind = RtcatException.Kind.TIMEOUT;
                }
            }
        }
        if (ways.size() == 1 && only != null) {
            return only; // one way: its own message, exactly as before the race existed
        }
        synchronized (failures) {
            return new RtcatException(kind, "could not meet the peer: " + joined(failures));
        }
    }

    private static String joined(List<String> failures) {
        synchronized (failures) {
            return String.join("; ", failures);
        }
    }
}
