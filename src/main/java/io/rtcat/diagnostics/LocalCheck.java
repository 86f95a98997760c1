package io.rtcat.diagnostics;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.Connection;
import io.rtcat.session.LocalRendezvous;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A checker and a responder in this process (`check --local`, doctor's relay test): two peers met through
 * {@link LocalRendezvous}, the answering one served by a {@link Responder} on its own named thread while the
 * caller measures from the offering one. Closing ends the checker first, so the responder sees the "bye" or
 * the closed channel and returns, then the responder's side and the rendezvous.
 */
public final class LocalCheck implements AutoCloseable {

    /** How long {@link #close} waits for the responder to notice the checker is gone. */
    private static final long RESPONDER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LocalRendezvous rendezvous;
    private final LocalRendezvous.Pair pair;
    private final ExecutorService responderThread;
    private final Future<Responder.Served> served;

    private LocalCheck(LocalRendezvous rendezvous, LocalRendezvous.Pair pair, ExecutorService responderThread,
            Future<Responder.Served> served) {
        this.rendezvous = rendezvous;
        this.pair = pair;
        this.responderThread = responderThread;
        this.served = served;
    }

    /**
     * Connects the two peers and starts the responder.
     *
     * @param responderLimit the responder's own --max-duration (it ends earlier when the checker says bye)
     */
    public static LocalCheck open(PeerEngine engine, PeerConfig config, ChannelOptions channel, Duration timeout,
            Duration responderLimit, Consumer<String> debug) throws RtcatException {
        LocalRendezvous rendezvous = LocalRendezvous.open(timeout);
        try {
            debug.accept("signaling on " + rendezvous.signalingUri());
            LocalRendezvous.Pair pair = rendezvous.connect(engine, config, channel, timeout, debug);
            Responder responder = new Responder(responderLimit, s -> debug.accept("responder: " + s));
            ExecutorService thread = Threads.serial("rtcat-local-responder");
            Future<Responder.Served> served = thread.submit(() -> responder.serve(pair.answerer().channel(),
                    Checker.opener(pair.answerer().peer()), new Responder.MediaPeers(engine, config)));
            thread.shutdown(); // one task: the thread ends with it
            return new LocalCheck(rendezvous, pair, thread, served);
        } catch (RtcatException | RuntimeException e) {
            rendezvous.close();
            throw e;
        }
    }

    /** The measuring side. */
    public Connection checker() {
        return pair.offerer();
    }

    /** The responding side (for --stats-dump). */
    public Connection responder() {
        return pair.answerer();
    }

    @Override
    public void close() {
        try {
            pair.offerer().close();
            Futures.poll(served, RESPONDER_GRACE_NANOS);
            pair.answerer().close();
        } finally {
            responderThread.shutdownNow();
            rendezvous.close();
        }
    }
}
