package io.rtcat.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Describe;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A connection to a signaling server.
 *
 * <p>Incoming messages are queued for {@link #receive(Duration)} / {@link #poll(Duration)} unless
 * a {@link Listener} is set, in which case they are handed to it instead (messages queued before
 * the listener was set are delivered to it first, in order). Malformed messages from the server
 * are logged and dropped.
 *
 * <p>Threading: listener callbacks run one at a time, in order, on the library's
 * "WebSocketConnectReadThread-N" daemon thread (or on the thread calling {@link #setListener}
 * for already-queued messages); they must not block for long. {@link #send} may be called from
 * any thread, including a callback. All library threads are daemon threads.
 */
public final class SignalingClient implements AutoCloseable {

    /** Receives messages and the close of the connection. */
    public interface Listener {
        void onMessage(SignalMessage message);

        /**
         * The connection closed (remote close, network failure or {@link #close()}); called at most
         * once. {@code code} is the WebSocket close code (1000 normal, 1001 server going away,
         * 1006 abnormal, 1009 message too big).
         */
        default void onClosed(int code, String reason) {
        }
    }

    /** How the connection ended. */
    public record Closed(int code, String reason, boolean remote) {
    }

    /** Default largest message accepted from the server. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

    private static final Logger LOG = Logger.getLogger(SignalingClient.class.getName());
    private static final long CLOSE_WAIT_MILLIS = 2000;
    /** How long {@link #close} waits for the server to confirm it handled what was sent before. */
    private static final long FLUSH_WAIT_MILLIS = 1000;
    /** The longest {@link #close()} takes: the ping's answer, then the close handshake, each bounded. */
    public static final Duration CLOSE_BOUND = Duration.ofMillis(FLUSH_WAIT_MILLIS + CLOSE_WAIT_MILLIS + 500);
    /** How long a failed send waits for the close callback that says why the connection went down. */
    private static final long CLOSE_REASON_WAIT_MILLIS = 1000;
    private static final int PING_INTERVAL_SECONDS = 30;

    private static final Pattern TOKEN_PARAM = Pattern.compile("(?<=[?&]token=)[^&#]*");

    private final URI uri;
    /** {@link #uri} with a token query parameter masked, for messages and logs. */
    private final String shown;
    private final Endpoint ws;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Object deliveryLock = new Object();
    private Listener listener; // guarded by deliveryLock
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile Thread callbackThread;
    private volatile boolean acknowledgesJoins;
    private final AtomicLong flushes = new AtomicLong();
    /** The pong the current {@link #flush} waits for, or null. */
    private volatile Flush flushing;

    /** A flush under way: the ping's payload, and the future its pong completes. */
    private record Flush(ByteBuffer token, CompletableFuture<Void> answered) {
    }

    private SignalingClient(URI uri, int connectTimeoutMillis, int maxMessageBytes) {
        this.uri = uri;
        this.shown = redact(uri);
        this.ws = new Endpoint(uri, new Draft_6455(List.of(), maxMessageBytes), connectTimeoutMillis);
        ws.setDaemon(true);
        ws.setTcpNoDelay(true);
        ws.setConnectionLostTimeout(PING_INTERVAL_SECONDS);
    }

    /** {@link #connect(URI, Duration, int)} with {@link #DEFAULT_MAX_MESSAGE_BYTES}. */
    public static SignalingClient connect(URI uri, Duration timeout) throws RtcatException {
        return connect(uri, timeout, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** {@link #connect(URI, Duration, int, SSLContext)} with {@link #DEFAULT_MAX_MESSAGE_BYTES}. */
    public static SignalingClient connect(URI uri, Duration timeout, SSLContext tls) throws RtcatException {
        return connect(uri, timeout, DEFAULT_MAX_MESSAGE_BYTES, tls);
    }

    /** {@link #connect(URI, Duration, int, SSLContext)} with the JVM's default trust store for wss. */
    public static SignalingClient connect(URI uri, Duration timeout, int maxMessageBytes) throws RtcatException {
        return connect(uri, timeout, maxMessageBytes, null);
    }

    /**
     * Opens a WebSocket to {@code uri} ({@code ws://} or {@code wss://}), blocking until it is
     * open. The URI's query (e.g. {@code ?token=...}) is sent unchanged; a token value is masked
     * in error messages and logs.
     *
     * @param tls for {@code wss://}: the context whose trust managers decide which server
     *            certificates are accepted (e.g. {@link PemTls#clientContextTrusting}); null for the
     *            JVM default trust store. The host name is always checked against the certificate.
     *            Ignored for {@code ws://}.
     *
     * @throws RtcatException USAGE for a URI that is not ws/wss with a host, UNAVAILABLE if the
     *                        server cannot be reached or refuses the handshake, TIMEOUT if it
     *                        does not open within {@code timeout}, INTERRUPTED if interrupted
     */
    public static SignalingClient connect(URI uri, Duration timeout, int maxMessageBytes, SSLContext tls)
            throws RtcatException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "invalid signaling url " + redact(uri) + ": expected ws://host:port/",
                    "for example ws://127.0.0.1:8080/");
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        long millis = Math.max(1, timeout.toMillis());
        SignalingClient c = new SignalingClient(uri, (int) Math.min(Integer.MAX_VALUE, millis), maxMessageBytes);
        if (tls != null && scheme.equals("wss")) {
            c.ws.setSocketFactory(tls.getSocketFactory());
        }
        String shown = c.shown;
        try {
            c.ws.connect();
            c.opened.get(millis, TimeUnit.MILLISECONDS);
            LOG.fine(() -> "connected to signaling server " + shown);
            return c;
        } catch (ExecutionException e) {
            c.abort();
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot reach signaling server " + shown + ": " + Describe.failure(e.getCause()),
                    "check the signaling url and that the server is running", e.getCause());
        } catch (TimeoutException e) {
            c.abort();
            throw new RtcatException(RtcatException.Kind.TIMEOUT,
                    "cannot reach signaling server " + shown + ": no answer within " + millis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.abort();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED,
                    "interrupted while connecting to signaling server " + shown);
        } catch (RuntimeException e) {
            c.abort();
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot reach signaling server " + shown + ": " + Describe.failure(e), null, e);
        }
    }

    /**
     * Response header of rtcat's own signaling server: it answers every join with {@code joined} at once
     * (possibly carrying ICE servers). Other servers, like the common tutorial one, may never do.
     */
    public static final String ACKNOWLEDGES_JOINS_HEADER = "X-Rtcat-Acknowledges-Joins";

    /** Whether the server said, when the socket opened, that it answers joins ({@link #ACKNOWLEDGES_JOINS_HEADER}). */
    public boolean acknowledgesJoins() {
        return acknowledgesJoins;
    }

    public URI uri() {
        return uri;
    }

    /** Sends {@code {"type":"join","room":room,"userId":userId}}; the answer arrives as a message. */
    public void join(String room, String userId) throws RtcatException {
        send(SignalMessage.join(room, userId));
    }

    /** Sends {@code {"type":"leave"}}. */
    public void leave() throws RtcatException {
        send(SignalMessage.leave());
    }

    /**
     * Queues a message for sending; thread-safe and non-blocking.
     *
     * @throws RtcatException UNAVAILABLE if the connection is closed
     */
    public void send(SignalMessage message) throws RtcatException {
        Objects.requireNonNull(message, "message");
        if (!ws.isOpen()) {
            throw closedException();
        }
        try {
            ws.send(message.toJson());
        } catch (WebsocketNotConnectedException e) {
            throw closedException();
        }
    }

    /** Sends arbitrary text without validation; for tests of the server's error handling. */
    void sendRaw(String text) throws RtcatException {
        if (!ws.isOpen()) {
            throw closedException();
        }
        try {
            ws.send(text);
        } catch (WebsocketNotConnectedException e) {
            throw closedException();
        }
    }

    /** Sends a JSON object, which must have a non-empty string {@code type}. */
    public void send(ObjectNode message) throws RtcatException {
        send(SignalMessage.of(message));
    }

    /**
     * Sets (or with null, clears) the listener. Messages already queued are delivered to the new
     * listener before this returns, on the calling thread; if the connection already closed, its
     * {@link Listener#onClosed} follows.
     */
    public void setListener(Listener l) {
        synchronized (deliveryLock) {
            listener = l;
            if (l == null) {
                return;
            }
            List<Object> pending = new ArrayList<>();
            inbox.drainTo(pending);
            for (Object o : pending) {
                dispatch(l, o);
            }
        }
    }

    /**
     * Waits for the next queued message.
     *
     * @throws RtcatException TIMEOUT if none arrives within {@code timeout}, UNAVAILABLE if the
     *                        connection closed and nothing is left, INTERRUPTED if interrupted
     */
    public SignalMessage receive(Duration timeout) throws RtcatException {
        Object o;
        try {
            o = inbox.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED,
                    "interrupted while waiting for signaling server " + shown);
        }
        if (o == null) {
            throw new RtcatException(RtcatException.Kind.TIMEOUT,
                    "no message from signaling server " + shown + " within " + timeout.toMillis() + " ms");
        }
        if (o instanceof Closed) {
            inbox.offer(o); // keep the end marker for later callers
            throw closedException();
        }
        return (SignalMessage) o;
    }

    /**
     * Waits for the next queued message; null on timeout, once the connection has closed with
     * nothing left, or when interrupted (the interrupt flag stays set).
     */
    public SignalMessage poll(Duration timeout) {
        try {
            return receive(timeout);
        } catch (RtcatException e) {
            return null;
        }
    }

    public boolean isOpen() {
        return ws.isOpen();
    }

    /** Completes once when the connection has closed, for whatever reason. */
    public CompletionStage<Closed> whenClosed() {
        return closed.minimalCompletionStage();
    }

    /**
     * Waits (bounded) until the server has handled everything sent so far: a ping goes out behind it, and a
     * server answers a ping only after decoding the frames before it. Returns whether it answered in time
     * (false at once on a closed connection or on the thread that delivers messages, where no answer can come).
     *
     * <p>Why {@link #close} needs it: Java-WebSocket's client ends its read loop as soon as anything arrives
     * after close() began, and its writer then drops frames still queued behind the one it was writing; its
     * server, seeing the socket end, closes the connection at once and discards what it read but had not decoded.
     * A cancel sent just before close() (the user's Ctrl-C during the code exchange) was lost that way, and the
     * peer heard only that we left.
     */
    boolean flush(Duration timeout) {
        if (!ws.isOpen() || Thread.currentThread() == callbackThread) {
            return false;
        }
        ByteBuffer token = ByteBuffer.allocate(Long.BYTES).putLong(0, flushes.incrementAndGet());
        Flush f = new Flush(token, new CompletableFuture<>());
        flushing = f;
        try {
            PingFrame ping = new PingFrame();
            ping.setPayload(token.duplicate());
            ws.sendFrame(ping);
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
        Futures.awaitQuietly(CompletableFuture.anyOf(f.answered(), closed), timeout);
        return f.answered().isDone();
    }

    /**
     * Closes the connection (code 1000) once the server has handled what was sent before ({@link #flush}, at most
     * a second), waiting at most about two seconds more for the close handshake; idempotent. Safe to call from a
     * listener callback (it then does not wait).
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != callbackThread && !flush(Duration.ofMillis(FLUSH_WAIT_MILLIS)) && ws.isOpen()) {
            LOG.fine(() -> "signaling server " + shown + " did not answer the ping before the close");
        }
        try {
            ws.close(1000, "bye");
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "error closing signaling connection", e);
        }
        if (Thread.currentThread() != callbackThread) {
            // Wait for the close handshake even on an interrupted thread (a user's Ctrl-C): what was sent just
            // before (a cancel for the peer) has then reached the server, which may be about to shut down.
            if (!Futures.awaitQuietly(closed, Duration.ofMillis(CLOSE_WAIT_MILLIS))) {
                LOG.fine(() -> "signaling server " + shown + " did not finish the close handshake");
            }
        }
        closeSocket();
    }

    /** Drops the TCP connection without a close frame, as a crashed client would; for tests. */
    void closeAbruptly() {
        closeCalled.set(true);
        closeSocket();
    }

    /** Tears down a connection that never opened, without waiting. */
    private void abort() {
        closeCalled.set(true);
        try {
            ws.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "error aborting signaling connection", e);
        }
        closeSocket();
    }

    private void closeSocket() {
        Socket s = ws.getSocket();
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "error closing signaling socket", e);
            }
        }
    }

    private RtcatException closedException() {
        Closed c = closed.getNow(null);
        if (c == null && !closeCalled.get() && Thread.currentThread() != callbackThread) {
            // The socket went down between isOpen() and the callback that says why (a server shutting down
            // says 1001): wait for that callback, briefly, so the error names the real cause.
            try {
                c = closed.get(CLOSE_REASON_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // no reason known: say only that it is closed
            }
        }
        String how = c == null ? "" : " (code " + c.code()
                + (c.reason() == null || c.reason().isEmpty() ? "" : ": " + oneLine(c.reason())) + ")";
        String hint = c == null ? null : switch (c.code()) {
            case 4401 -> "the signaling server wants a token: add ?token=SECRET to the url";
            case 1001 -> "it was stopped (e.g. rtcat signal got SIGTERM); try again once it is back";
            case 4408 -> "the signaling server closed the connection after it was idle";
            case 4429 -> "the signaling server limits connections or messages per client; try again later";
            case 4413 -> "the signaling server cut this connection: it did not read its messages fast enough";
            default -> null;
        };
        String what = c != null && c.code() == 1001 ? "the signaling server " + shown + " shut down"
                : "signaling connection to " + shown + " is closed";
        return new RtcatException(RtcatException.Kind.UNAVAILABLE, what + how, hint);
    }

    /** The URI as text with the value of a {@code token} query parameter replaced by "***". */
    public static String redact(URI uri) {
        String text = uri.toString();
        return uri.getRawQuery() == null ? text : TOKEN_PARAM.matcher(text).replaceAll("***");
    }

    // ---------------------------------------------------------------- delivery (read thread)

    private void deliver(Object item) {
        synchronized (deliveryLock) {
            Listener l = listener;
            if (l == null) {
                inbox.offer(item);
            } else {
                dispatch(l, item);
            }
        }
    }

    private void dispatch(Listener l, Object item) {
        try {
            if (item instanceof Closed) {
                Closed c = (Closed) item;
                l.onClosed(c.code(), c.reason());
            } else {
                l.onMessage((SignalMessage) item);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "signaling listener failed", e);
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    private final class Endpoint extends WebSocketClient {

        Endpoint(URI uri, Draft_6455 draft, int connectTimeoutMillis) {
            super(uri, draft, Map.of(), connectTimeoutMillis);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            callbackThread = Thread.currentThread();
            acknowledgesJoins = handshake.hasFieldValue(ACKNOWLEDGES_JOINS_HEADER);
            opened.complete(null);
            if (closeCalled.get()) {
                close(1000, "bye"); // connect() already gave up
            }
        }

        @Override
        public void onMessage(String text) {
            callbackThread = Thread.currentThread();
            SignalMessage m;
            try {
                m = SignalMessage.parse(text);
            } catch (RtcatException e) {
                LOG.info(() -> "ignoring message from signaling server " + shown + ": " + e.getMessage());
                return;
            }
            deliver(m);
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            LOG.info(() -> "ignoring binary message from signaling server " + shown);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            String r = reason == null ? "" : reason;
            opened.completeExceptionally(new IOException(
                    r.isEmpty() ? "connection closed (code " + code + ")" : r));
            Closed c = new Closed(code, r, remote);
            if (closed.complete(c)) {
                LOG.fine(() -> "signaling connection to " + shown + " closed (" + code + " " + r + ")");
                deliver(c);
            }
        }

        /** The answer to a {@link #flush}'s ping (the connection-lost timer's pings carry no payload). */
        @Override
        public void onWebsocketPong(WebSocket conn, Framedata frame) {
            Flush f = flushing;
            if (f != null && f.token().equals(frame.getPayloadData())) {
                f.answered().complete(null);
            }
        }

        @Override
        public void onError(Exception ex) {
            opened.completeExceptionally(ex);
            LOG.log(Level.FINE, "signaling connection error for " + shown, ex);
        }
    }
}
