package io.rtcat.signaling;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.ReadyState;

/**
 * One accepted socket of a {@link SignalingServer}: the {@link Client} the protocol talks to, and what the
 * {@link ConnectionSweeper} checks. Sending never blocks or throws; a client that does not read is cut.
 */
final class SocketClient implements Client, ConnectionSweeper.Connection {

    private static final Logger LOG = Logger.getLogger(SocketClient.class.getName());

    final WebSocket conn;
    final long createdNanos = System.nanoTime();
    volatile InetAddress ip;
    /** Set once the token and per-IP checks passed; only admitted clients' messages are handled. */
    volatile RelayProtocol.Session session;
    volatile long lastMessageNanos = createdNanos;
    /** A message or a pong arrived (lost-connection detection). */
    volatile long lastHeardNanos = createdNanos;
    volatile long pingedNanos;
    /** When we asked to close it (0: not yet). */
    volatile long closeRequestedNanos;
    /** Holds a per-IP slot. */
    final AtomicBoolean counted = new AtomicBoolean();
    /** Cut as a slow reader: nothing more is queued for it. */
    final AtomicBoolean slow = new AtomicBoolean();

    private final long maxQueuedBytes;
    private final ServerMetrics metrics;

    SocketClient(WebSocket conn, InetAddress ip, long maxQueuedBytes, ServerMetrics metrics) {
        this.conn = conn;
        this.ip = ip;
        this.maxQueuedBytes = maxQueuedBytes;
        this.metrics = metrics;
    }

    /**
     * Queues text unless this is a slow reader, which is cut instead (the socket dropped at once: a close
     * frame would wait behind the backlog); never throws (a closed connection is cleaned up by onClose).
     */
    @Override
    public void deliver(String text) {
        if (slow.get()) {
            return;
        }
        long queued = OutQueue.bytesWaiting(conn, SignalingProtocol.MAX_QUEUED_FRAMES);
        if (queued < 0 || queued + text.length() > maxQueuedBytes) {
            cutSlowReader(queued);
            return;
        }
        try {
            if (conn instanceof WebSocketImpl impl) {
                PlainChannel.send(impl, text);
            } else {
                conn.send(text);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot send to " + conn.getRemoteSocketAddress(), e);
        }
    }

    private void cutSlowReader(long queued) {
        if (!slow.compareAndSet(false, true)) {
            return;
        }
        metrics.rejected(ServerMetrics.SLOW_READER);
        LOG.info(() -> "signaling: closing connection from " + host() + ": it does not read ("
                + (queued < 0 ? "over " + SignalingProtocol.MAX_QUEUED_FRAMES + " frames" : queued + " bytes")
                + " waiting)");
        try {
            conn.closeConnection(SignalingProtocol.CLOSE_SLOW_READER, "slow reader");
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot close connection from " + host(), e);
        }
    }

    /** Starts a close handshake once; the sweeper drops the socket if the peer does not answer. */
    @Override
    public void requestClose(int code, String reason) {
        if (closeRequestedNanos == 0) {
            closeRequestedNanos = System.nanoTime();
        }
        try {
            conn.close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot close connection from " + host(), e);
        }
    }

    @Override
    public InetAddress ip() {
        return ip;
    }

    @Override
    public boolean isClosed() {
        return conn.isClosed();
    }

    @Override
    public boolean isOpen() {
        return conn.isOpen();
    }

    @Override
    public boolean handshakePending() {
        return conn.getReadyState() == ReadyState.NOT_YET_CONNECTED;
    }

    @Override
    public boolean awaitingJoin() {
        RelayProtocol.Session s = session;
        return s != null && !s.everJoined;
    }

    @Override
    public long createdNanos() {
        return createdNanos;
    }

    @Override
    public long lastMessageNanos() {
        return lastMessageNanos;
    }

    @Override
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public long pingedNanos() {
        return pingedNanos;
    }

    @Override
    public void ping() {
        pingedNanos = System.nanoTime();
        try {
            conn.sendPing();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot ping " + host(), e);
        }
    }

    @Override
    public long closeRequestedNanos() {
        return closeRequestedNanos;
    }

    @Override
    public String host() {
        return Admission.hostOf(ip);
    }

    @Override
    public void drop(String reason) {
        conn.closeConnection(1006, reason);
    }
}
