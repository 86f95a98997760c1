package io.rtcat.signaling;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's timeouts, checked every {@link #periodMillis()}: drops closed entries, unfinished (TLS and)
 * WebSocket handshakes (slowloris), connections that never join, unanswered close requests and idle
 * connections, and finds lost connections. The clock is injected (nanoseconds).
 *
 * <p>Lost connections: a connection silent for {@link ServerOptions#connectionLostTimeoutSeconds()} (no message, no
 * pong) is pinged, and one silent for 1.5 times that is dropped. Java-WebSocket's own detection pinged every
 * connection at once on a timer instead: with 2,000 clients, 2,000 pings and 2,000 pongs in a burst every 30 s,
 * which stalled the relay for up to 130 ms (README). Here a connection that talks is never pinged, and silent ones
 * come due one by one, as their silences began.
 */
final class ConnectionSweeper<C extends ConnectionSweeper.Connection> {

    private static final Logger LOG = Logger.getLogger(ConnectionSweeper.class.getName());

    /** What the sweeper needs to know about, and do to, one accepted socket. */
    interface Connection {
        boolean isClosed();

        boolean isOpen();

        /** The WebSocket handshake has not finished yet. */
        boolean handshakePending();

        /** Admitted but never joined a room. */
        boolean awaitingJoin();

        long createdNanos();

        long lastMessageNanos();

        /** When anything (a message, a pong) last arrived on it. */
        long lastHeardNanos();

        /** When it was last pinged, or 0. */
        long pingedNanos();

        /** Sends a ping; the pong it asks for counts in {@link #lastHeardNanos()}. */
        void ping();

        /** When a close was asked for, or 0. */
        long closeRequestedNanos();

        String host();

        /** Drops the socket without a close handshake. */
        void drop(String reason);

        /** Starts a close handshake. */
        void requestClose(int code, String reason);
    }

    private final ServerOptions opts;
    private final ServerMetrics metrics;
    private final Collection<C> live;
    private final Consumer<C> forget;
    private final LongSupplier nanoClock;

    /**
     * @param live   every accepted socket until seen closed
     * @param forget called for a closed socket the sweeper finds (before onClose did)
     */
    ConnectionSweeper(ServerOptions opts, ServerMetrics metrics, Collection<C> live, Consumer<C> forget,
                      LongSupplier nanoClock) {
        this.opts = opts;
        this.metrics = metrics;
        this.live = live;
        this.forget = forget;
        this.nanoClock = nanoClock;
    }

    /** A quarter of the shortest timeout, within 100-1000 ms, so that timeouts fire roughly on time. */
    long periodMillis() {
        long shortest = opts.handshakeTimeoutSeconds() * 1000L;
        if (opts.idleTimeoutSeconds() > 0) {
            shortest = Math.min(shortest, opts.idleTimeoutSeconds() * 1000L);
        }
        if (opts.connectionLostTimeoutSeconds() > 0) {
            shortest = Math.min(shortest, opts.connectionLostTimeoutSeconds() * 1000L);
        }
        return Math.max(100, Math.min(1000, shortest / 4));
    }

    /** One sweep that never throws (a scheduled task that throws is never run again). */
    void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "signaling: error checking connections", e);
        }
    }

    void sweep() {
        long now = nanoClock.getAsLong();
        long idleNanos = TimeUnit.SECONDS.toNanos(opts.idleTimeoutSeconds());
        long handshakeNanos = TimeUnit.SECONDS.toNanos(opts.handshakeTimeoutSeconds());
        long graceNanos = TimeUnit.MILLISECONDS.toNanos(SignalingProtocol.CLOSE_GRACE_MILLIS);
        long lostNanos = TimeUnit.SECONDS.toNanos(opts.connectionLostTimeoutSeconds());
        for (C c : live) {
            if (c.isClosed()) {
                forget.accept(c);
            } else if (c.closeRequestedNanos() != 0) {
                if (now - c.closeRequestedNanos() > graceNanos) {
                    c.drop("close handshake timed out");
                }
            } else if (c.handshakePending()) {
                if (now - c.createdNanos() > handshakeNanos) {
                    LOG.fine(() -> "signaling: dropping " + c.host() + ": no handshake within "
                            + opts.handshakeTimeoutSeconds() + " s");
                    metrics.rejected(ServerMetrics.HANDSHAKE_TIMEOUT);
                    c.drop("handshake timed out");
                }
            } else if (c.awaitingJoin() && c.isOpen() && now - c.createdNanos() > handshakeNanos) {
                LOG.info(() -> "signaling: closing connection from " + c.host() + ": no join within "
                        + opts.handshakeTimeoutSeconds() + " s");
                metrics.rejected(ServerMetrics.JOIN_TIMEOUT);
                c.requestClose(SignalingProtocol.CLOSE_JOIN_TIMEOUT, "join timeout");
            } else if (idleNanos > 0 && c.isOpen() && now - c.lastMessageNanos() > idleNanos) {
                LOG.info(() -> "signaling: closing idle connection from " + c.host() + " (no message for "
                        + opts.idleTimeoutSeconds() + " s)");
                metrics.rejected(ServerMetrics.IDLE);
                c.requestClose(SignalingProtocol.CLOSE_IDLE, "idle");
            } else if (lostNanos > 0 && c.isOpen()) {
                checkAlive(c, now, lostNanos);
            }
        }
    }

    private void checkAlive(C c, long now, long lostNanos) {
        long silent = now - c.lastHeardNanos();
        if (silent > lostNanos + lostNanos / 2) {
            LOG.fine(() -> "signaling: dropping " + c.host() + ": no pong within "
                    + opts.connectionLostTimeoutSeconds() * 3 / 2 + " s");
            c.drop("connection lost: no pong");
        } else if (silent > lostNanos && (c.pingedNanos() == 0 || now - c.pingedNanos() > lostNanos)) {
            c.ping();
        }
    }
}
