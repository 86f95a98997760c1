package io.rtcat.session;

import java.util.concurrent.CompletableFuture;

/**
 * One way for two rtcat processes that share a code phrase to find each other: the sender's embedded signaling
 * server found on the LAN, a signaling server the user named, public WebTorrent trackers... Several are raced;
 * the first that yields an <em>authenticated</em> peer (PAKE passed and bound to both DTLS fingerprints) wins and
 * the others are closed.
 */
public interface Rendezvous extends AutoCloseable {

    /** What the user is told was used, e.g. {@code "LAN (192.168.1.10:40123)"} or {@code "tracker wss://t.example/"}. */
    String name();

    /**
     * Starts looking for the peer. The future completes with an authenticated peer, or exceptionally with an
     * {@link io.rtcat.errors.RtcatException} that says in one line what this way tried and why it failed.
     * Called once.
     */
    CompletableFuture<RemotePeer> start();

    /** Stops looking and frees what it holds; a {@link RemotePeer} already handed out is not closed. Idempotent. */
    @Override
    void close();
}
