package io.rtcat.session;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Meeting through one signaling server (the user's --signal, a --from address, or the sender's own embedded
 * server), as {@link RemotePeer#connect} does, on a thread of its own so that it can be raced. Closing it
 * interrupts the attempt; the handshake then closes its peer and signaling connection.
 */
public final class SignalingRendezvous implements Rendezvous {

    private final String name;
    private final PeerEngine engine;
    private final PeerConfig config;
    private final ChannelOptions channel;
    private final HandshakeOptions meeting;
    private final Role role;
    private final Consumer<String> progress;
    private final Consumer<String> fingerprint;
    private final CompletableFuture<RemotePeer> result = new CompletableFuture<>();
    /** Completes when {@link #connect} has returned, whatever the result. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private Thread worker;
    private boolean closed;

    /**
     * @param name what the user is told, e.g. "the signaling server ws://host:8765/"
     */
    public SignalingRendezvous(String name, PeerEngine engine, PeerConfig config, ChannelOptions channel,
            HandshakeOptions meeting, Role role, Consumer<String> progress, Consumer<String> fingerprint) {
        this.name = name;
        this.engine = engine;
        this.config = config;
        this.channel = channel;
        this.meeting = meeting;
        this.role = role;
        this.progress = progress;
        this.fingerprint = fingerprint;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized CompletableFuture<RemotePeer> start() {
        if (worker != null || closed) {
            throw new IllegalStateException("start() is called once, before close()");
        }
        worker = Threads.daemon("rtcat-rendezvous-signaling", this::connect);
        worker.start();
        return result;
    }

    private void connect() {
        try {
            RemotePeer peer = RemotePeer.connect(engine, config, channel, meeting, role, progress, fingerprint);
            if (!result.complete(peer)) {
                peer.close();
            }
        } catch (RtcatException | RuntimeException e) {
            result.completeExceptionally(e);
        } finally {
            finished.complete(null);
        }
    }

    /**
     * Interrupts an attempt still running and waits (bounded) for it to end: an interrupted handshake tells the
     * peer it cancelled and closes its signaling connection, and that must happen before the caller closes an
     * embedded server or exits, or the peer sees only a closed connection.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = worker != null && !result.isDone() ? worker : null;
            if (running != null) {
                running.interrupt();
            }
            result.completeExceptionally(new RtcatException(RtcatException.Kind.INTERRUPTED, name + ": closed"));
        }
        if (running != null && running != Thread.currentThread()) {
            Futures.awaitQuietly(finished, CLOSE_WAIT); // even when the caller itself was interrupted
        }
    }

    /** How long {@link #close} waits for an interrupted attempt to say goodbye. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
}
