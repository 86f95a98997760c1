package io.rtcat.signaling;

import io.rtcat.errors.Describe;
import io.rtcat.errors.RtcatException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ServerHandshake;

/**
 * One WebSocket to one WebTorrent tracker, for one swarm and one {@code peer_id} (a second peer_id on the same
 * socket would leave a ghost peer that absorbs offers). Connects in the background: {@link #opened()} completes
 * when the socket is open, or fails with the reason the tracker could not be reached. What the tracker forwards
 * reaches the {@link Listener} after {@link TrackerMessages#parse} dropped everything that is not an offer or
 * answer for our swarm.
 *
 * <p>Threading: listener callbacks run on the library's read thread (a daemon), one at a time; they must not
 * block. {@link #announce} and {@link #answer} may be called from any thread.
 */
public final class TrackerClient implements AutoCloseable {

    /** What the tracker delivers. */
    public interface Listener {
        void onEvent(TrackerClient tracker, TrackerMessages.Event event);

        /** The tracker refused something ({@code failure reason}). */
        default void onFailure(TrackerClient tracker, String reason) {
        }

        /** The socket closed, for whatever reason; called at most once. */
        default void onClosed(TrackerClient tracker, String reason) {
        }
    }

    /** A tracker message is small; anything much larger is abuse. */
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final Logger LOG = Logger.getLogger(TrackerClient.class.getName());

    private final URI uri;
    private final String infoHash;
    private final String peerId;
    private final Listener listener;
    private final Endpoint ws;
    private final CompletableFuture<TrackerClient> opened = new CompletableFuture<>();
    private final AtomicBoolean closedReported = new AtomicBoolean();

    private TrackerClient(URI uri, String infoHash, String peerId, Listener listener) {
        this.uri = uri;
        this.infoHash = infoHash;
        this.peerId = peerId;
        this.listener = listener;
        this.ws = new Endpoint(uri);
        ws.setDaemon(true);
        ws.setTcpNoDelay(true);
        ws.setConnectionLostTimeout(30);
    }

    /**
     * Starts connecting to {@code uri} ({@code ws://} or {@code wss://}; wss uses the JVM's trust store and checks
     * the host name).
     *
     * @throws RtcatException USAGE if {@code uri} is not a ws/wss URL with a host
     */
    public static TrackerClient open(URI uri, String infoHash, String peerId, Listener listener)
            throws RtcatException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid tracker url " + uri
                    + ": expected ws://host:port/ or wss://host/", "for example wss://tracker.example.org/");
        }
        if (!TrackerMessages.isId(infoHash) || !TrackerMessages.isId(peerId)) {
            throw new IllegalArgumentException("info_hash and peer_id must be tracker ids");
        }
        TrackerClient c = new TrackerClient(uri, infoHash, peerId, listener);
        try {
            c.ws.connect();
        } catch (RuntimeException e) {
            c.opened.completeExceptionally(e);
        }
        return c;
    }

    public URI uri() {
        return uri;
    }

    /** Completes once the socket is open; fails if it cannot be opened. */
    public CompletableFuture<TrackerClient> opened() {
        return opened;
    }

    public boolean isOpen() {
        return ws.isOpen();
    }

    /** Announces us in the swarm with these offers (see {@link TrackerMessages#announce}); returns how many went. */
    public int announce(List<TrackerMessages.Offer> offers) {
        String m = TrackerMessages.announce(infoHash, peerId, offers);
        return send(m) ? TrackerMessages.offersIn(m) : 0;
    }

    /** Answers {@code toPeerId}'s offer through this tracker. */
    public boolean answer(String toPeerId, String offerId, String sdp) {
        return send(TrackerMessages.answer(infoHash, peerId, toPeerId, offerId, sdp));
    }

    private boolean send(String text) {
        try {
            ws.send(text);
            return true;
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
    }

    /** Closes the socket, which also takes us out of the swarm. */
    @Override
    public void close() {
        opened.completeExceptionally(new IllegalStateException("closed"));
        try {
            ws.close(1000, "bye");
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    private static String describe(Throwable e) {
        return e == null ? "connection failed" : Describe.failure(e);
    }

    private final class Endpoint extends WebSocketClient {

        Endpoint(URI uri) {
            super(uri, new Draft_6455(List.of(), MAX_FRAME_BYTES), Map.of(), CONNECT_TIMEOUT_MILLIS);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            if (!opened.complete(TrackerClient.this)) {
                close(1000, "bye"); // closed before it opened
            }
        }

        @Override
        public void onMessage(String text) {
            TrackerMessages.Event event = TrackerMessages.parse(text, infoHash, peerId);
            if (event != null) {
                listener.onEvent(TrackerClient.this, event);
                return;
            }
            String reason = TrackerMessages.failureReason(text);
            if (reason != null) {
                listener.onFailure(TrackerClient.this, reason);
            }
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            // the protocol is text only
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            String why = reason == null || reason.isBlank() ? "closed (code " + code + ")" : reason;
            opened.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE, why));
            if (closedReported.compareAndSet(false, true)) {
                listener.onClosed(TrackerClient.this, why);
            }
        }

        @Override
        public void onError(Exception ex) {
            LOG.log(Level.FINE, "tracker " + uri + ": " + ex, ex);
            opened.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE, describe(ex)));
        }
    }
}
