package io.rtcat.signaling;

import io.rtcat.errors.Describe;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * A small WebSocket signaling relay: clients join a room under a user id, and the server
 * forwards their JSON messages to one member ({@code target}) or to all other members,
 * stamping {@code sender}. See {@link SignalMessage} for the message shapes.
 *
 * <p>Server-originated messages: {@code user-joined}/{@code user-left} {@code {"userId":U}} to the
 * other members, {@code joined} {@code {"room":R,"userId":U,"users":[others]}} to the joiner, and
 * {@code error} {@code {"code":C,"message":M}} to a client whose message was rejected; the
 * connection stays open after an error. Messages bigger than
 * {@link ServerOptions#maxMessageBytes()} close that connection with code 1009.
 *
 * <p>Hardening (see {@link ServerOptions}):
 * <ul>
 * <li>Token: with {@link ServerOptions#token()} set, a client must connect to
 *     {@code ws://host:port/?token=SECRET} (URL-encoded; compared in constant time). A missing or
 *     wrong token completes the WebSocket handshake and is then immediately closed with
 *     {@link SignalingProtocol#CLOSE_UNAUTHORIZED} 4401 "unauthorized"; nothing it sends is processed. (A close code,
 *     unlike an HTTP 401, is visible to browser JavaScript.) The token is never logged.</li>
 * <li>Idle: an open connection that sends no message for {@link ServerOptions#idleTimeoutSeconds()}
 *     is closed with {@link SignalingProtocol#CLOSE_IDLE} 4408 "idle". A connection silent for
 *     {@link ServerOptions#connectionLostTimeoutSeconds()} is pinged, and dropped when still silent at 1.5 times
 *     that ({@link ConnectionSweeper}). A connection that does not
 *     finish the (TLS and) WebSocket handshake within {@link ServerOptions#handshakeTimeoutSeconds()} is
 *     dropped (slowloris), one that finished it but has not joined a room by then is closed with
 *     {@link SignalingProtocol#CLOSE_JOIN_TIMEOUT} 4410 "join timeout", and a connection that does not answer our close
 *     frame within {@value SignalingProtocol#CLOSE_GRACE_MILLIS} ms is dropped.</li>
 * <li>Rooms per IP: a join that would put the connections from one address into more than
 *     {@link ServerOptions#maxRoomsPerIp()} distinct rooms gets error {@link SignalingProtocol#ERR_TOO_MANY_ROOMS}.</li>
 * <li>TURN: with {@link ServerOptions#turn()} the {@code joined} message carries
 *     {@code "iceServers":[{"urls":[...],"username":U,"credential":C}]}, fresh short-lived credentials
 *     (see {@link TurnCredentials}).</li>
 * <li>Per IP: more than {@link ServerOptions#maxConnectionsPerIp()} open connections from one address:
 *     the extra one is closed with {@link SignalingProtocol#CLOSE_TOO_MANY} 4429 "too many connections".</li>
 * <li>Rate: each connection has a token bucket ({@link ServerOptions#messagesPerSecond()},
 *     {@link ServerOptions#messageBurst()}). A message over the limit is dropped; the first of a run
 *     of dropped messages is answered with error {@link SignalingProtocol#ERR_RATE_LIMITED}. After
 *     {@value SignalingProtocol#MAX_DROPPED_MESSAGES} dropped messages the connection is closed with 4429
 *     "rate limit exceeded".</li>
 * <li>TLS: with {@link ServerOptions#sslContext()} the server speaks {@code wss://} only.</li>
 * </ul>
 * Joins and leaves are logged at INFO (one line each), rejections at INFO, the rest at FINE.
 *
 * <p>Parts: this class is the socket glue (start/close, the library's endpoint and factory, sweeper scheduling);
 * {@link RelayProtocol} handles messages over {@link Client}, {@link Admission} decides who may stay,
 * {@link RateLimiter} and {@link ConnectionSweeper} enforce rates and timeouts, {@link SignalingProtocol} holds
 * the codes.
 *
 * <p>Threading: the server runs on daemon threads of the WebSocket library (one selector thread,
 * "WebSocketWorker-N" threads for messages); room state lives in a {@link Rooms} ({@link InMemoryRooms},
 * or {@link RedisRooms} when several servers share a Redis). All public methods are thread-safe.
 */
public final class SignalingServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SignalingServer.class.getName());
    private static final int STOP_TIMEOUT_MILLIS = 2000;
    /** How often lost writes are looked for ({@link #rearmLostWrites}): the longest such a frame waits. */
    static final long REARM_PERIOD_MILLIS = 50;

    private final ServerOptions opts;
    private final Endpoint endpoint;
    private final String bindHost;
    private final CompletableFuture<Integer> bound = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Notified whenever a connection has closed (close() waits on it for the clients' answers). */
    private final Object connectionClosed = new Object();
    private volatile int port = -1;
    private final ScheduledExecutorService sweeperThread = Threads.scheduler("rtcat-signaling-sweeper");
    /** Every accepted TCP connection until it is seen closed (including unfinished handshakes). */
    private final Set<SocketClient> live = ConcurrentHashMap.newKeySet();

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerHealth health = new ServerHealth();
    /** Membership and delivery: in this process, or shared through Redis. */
    private final Rooms rooms;
    private final Admission admission;
    private final RelayProtocol protocol;
    private final ConnectionSweeper<SocketClient> sweeper;
    private final PageServingFactory pages;

    private SignalingServer(InetSocketAddress bind, ServerOptions opts, Rooms rooms) {
        this.opts = opts;
        this.rooms = rooms;
        this.bindHost = uriHost(bind);
        this.admission = new Admission(opts, metrics, Clock.systemUTC());
        this.protocol = new RelayProtocol(opts, rooms, metrics,
                new RateLimiter(opts.messagesPerSecond(), opts.messageBurst(), System::nanoTime));
        this.sweeper = new ConnectionSweeper<>(opts, metrics, live, this::forget, System::nanoTime);
        this.endpoint = new Endpoint(bind, opts.maxMessageBytes());
        endpoint.setReuseAddr(true);
        endpoint.setDaemon(true);
        endpoint.setTcpNoDelay(true);
        endpoint.setConnectionLostTimeout(0); // the sweeper pings silent connections only (ConnectionSweeper)
        WebSocketServerFactory factory = opts.sslContext() == null ? new DefaultWebSocketServerFactory()
                : new DefaultSSLWebSocketServerFactory(opts.sslContext(), Threads.serial("rtcat-signaling-tls"));
        this.pages = new PageServingFactory(factory, WebPage.load(), metrics::pageAnswered);
        endpoint.setWebSocketFactory(new TrackingFactory(pages, (ws, ip) -> {
            SocketClient c = newClient(ws, ip);
            ws.setAttachment(c);
            live.add(c);
        }));
    }

    /**
     * Binds and starts a server, blocking until it listens.
     *
     * @param bind    address to listen on; port 0 picks a free port (see {@link #port()})
     * @param opts    settings, or null for {@link ServerOptions#defaults()}
     * @param timeout how long to wait for the listening socket
     * @throws RtcatException UNAVAILABLE if the address cannot be bound, TIMEOUT if binding takes
     *                        longer than {@code timeout}, INTERRUPTED if the caller is interrupted
     */
    public static SignalingServer start(InetSocketAddress bind, ServerOptions opts, Duration timeout)
            throws RtcatException {
        return start(bind, opts, null, timeout);
    }

    /**
     * Like {@link #start(InetSocketAddress, ServerOptions, Duration)}, but with {@code redis} set, room
     * membership and relaying are shared with every other server on the same Redis (see {@link RedisRooms}).
     *
     * @param redis where to share rooms, or null for this process only
     * @throws RtcatException also UNAVAILABLE if Redis cannot be reached now
     */
    public static SignalingServer start(InetSocketAddress bind, ServerOptions opts, RedisSettings redis,
                                        Duration timeout) throws RtcatException {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(timeout, "timeout");
        ServerOptions o = opts == null ? ServerOptions.defaults() : opts;
        String where = (bind.getAddress() == null ? bind.getHostString() : bind.getAddress().getHostAddress())
                + ":" + bind.getPort();
        if (bind.isUnresolved()) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot listen for signaling on " + where + ": unknown host");
        }
        Rooms rooms = redis == null ? new InMemoryRooms(o.roomCapacity()) : RedisRooms.connect(redis, o.roomCapacity());
        SignalingServer s;
        try {
            s = new SignalingServer(bind, o, rooms);
        } catch (RuntimeException e) {
            rooms.close();
            throw e;
        }
        try {
            s.endpoint.start();
            s.port = Futures.await(s.bound, Math.max(1, timeout.toNanos()),
                    () -> "starting signaling server on " + where);
        } catch (RtcatException e) {
            s.close();
            if (e.kind() != RtcatException.Kind.UNAVAILABLE) {
                throw e;
            }
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot listen for signaling on " + where
                    + ": " + Describe.failure(e.getCause()), "choose another port or stop the program using it",
                    e.getCause());
        } catch (RuntimeException e) {
            s.close();
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot listen for signaling on " + where + ": " + Describe.failure(e), null, e);
        }
        long period = s.sweeper.periodMillis();
        s.sweeperThread.scheduleWithFixedDelay(s.sweeper::sweepSafely, period, period, TimeUnit.MILLISECONDS);
        s.sweeperThread.scheduleWithFixedDelay(s::rearmLostWrites, REARM_PERIOD_MILLIS, REARM_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        LOG.info(() -> "signaling server listening on " + s.uri() + (o.token() == null ? "" : " (token required)"));
        return s;
    }

    /** The port actually listened on (resolved when started with port 0). */
    public int port() {
        return port;
    }

    /**
     * {@code ws://host:port/} (or {@code wss://} with TLS) for this server; a wildcard bind address
     * is reported as the loopback address. The token, if any, is not part of it.
     */
    public URI uri() {
        try {
            return new URI(opts.tls() ? "wss" : "ws", null, bindHost, port, "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot form signaling url for " + bindHost + ":" + port, e);
        }
    }

    public ServerOptions options() {
        return opts;
    }

    /** Counters for {@code /metrics}; see {@link MetricsText}. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Heap pressure and stalled relaying, for {@code /healthz}. */
    public ServerHealth health() {
        return health;
    }

    /** True from a successful {@link #start} until {@link #close()} begins. */
    public boolean isRunning() {
        return !closed.get();
    }

    /** Open connections that passed the token and per-IP checks. */
    public int connectionCount() {
        int n = 0;
        for (SocketClient c : live) {
            if (c.session != null && c.conn.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /** Number of rooms with at least one member. */
    public int roomCount() {
        return rooms.roomCount();
    }

    /** With Redis: whether it is reachable now (and this server's members registered there); else null. */
    public Boolean redisUp() {
        return rooms.sharedBackendUp();
    }

    /**
     * Stops listening and closes all connections (code 1001). Waits at most about two seconds;
     * idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Stopping waits for the selector to write the close frames. The caller may be a command thread that a
        // SIGTERM interrupts while closing, and an interrupted wait let the process exit before the frames went out
        // (clients saw 1006, not 1001 "going away"): so the stop runs on a thread of its own, waited for quietly.
        FutureTask<Void> stop = new FutureTask<>(() -> {
            try {
                closeHandshakes();
                endpoint.stop(STOP_TIMEOUT_MILLIS / 2);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "error stopping signaling server", e);
            }
            return null;
        });
        Threads.daemon("rtcat-signaling-stop", stop).start();
        Futures.awaitQuietly(stop, Duration.ofMillis(STOP_TIMEOUT_MILLIS));
        sweeperThread.shutdownNow(); // only now: its lost-write repair may be what sends a close frame
        rooms.close();
        protocol.clear();
        live.clear();
        admission.clear();
        bound.completeExceptionally(new IllegalStateException("closed"));
        LOG.fine(() -> "signaling server on " + bindHost + ":" + port + " stopped");
    }

    /**
     * Closes every connection (1001) while the selector still runs, waiting at most half the stop time for the
     * clients' answers (the server then closes each socket), and drops the sockets of clients that did not answer.
     * The library's stop alone sends the close frames and ends its loop after a few idle selects: a client whose
     * answer came later (a busy machine) kept a socket the server no longer read or closed, and waited on it.
     */
    private void closeHandshakes() throws InterruptedException {
        for (WebSocket conn : endpoint.getConnections()) {
            conn.close(CloseFrame.GOING_AWAY, "server stopping");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS / 2);
        synchronized (connectionClosed) {
            for (long left = deadline - System.nanoTime(); !endpoint.getConnections().isEmpty() && left > 0;
                    left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(connectionClosed, left);
            }
        }
        for (SocketClient c : live) {
            if (!c.isClosed()) {
                c.drop("server stopping: no answer to its close frame");
            }
        }
    }

    /**
     * Asks the selector again to write frames it was not asked to write ({@link OutQueue#writeInterestLost}: a
     * race inside the library, seen as a {@code joined} that never came while the machine was busy). Never
     * throws: a scheduled task that throws is never run again.
     */
    private void rearmLostWrites() {
        for (SocketClient c : live) {
            try {
                OutQueue.rearmIfLost(endpoint, c.conn, metrics::lostWriteRepaired);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "signaling: cannot check writes to " + c.host(), e);
            }
        }
    }

    /** The sweep of stale selected keys on this server's selector; for tests. */
    StaleKeySweep staleKeySweep() {
        return pages.staleKeys();
    }

    /** Every accepted socket not yet seen closed; for tests. */
    Set<SocketClient> liveConnections() {
        return Collections.unmodifiableSet(live);
    }

    private SocketClient newClient(WebSocket ws, InetAddress ip) {
        return new SocketClient(ws, ip, SignalingProtocol.maxQueuedBytes(opts), metrics);
    }

    /** Forgets a closed socket and gives back its per-IP slot; idempotent. */
    private void forget(SocketClient c) {
        live.remove(c);
        if (c.counted.compareAndSet(true, false)) {
            admission.release(c.ip);
        }
    }

    /** Decides whether a freshly opened connection may stay: token, then per-IP limit. */
    private void admit(SocketClient c, ClientHandshake handshake) {
        Admission.Verdict v = admission.admit(c.ip, handshake.getResourceDescriptor());
        if (!v.admitted()) {
            c.requestClose(v.closeCode(), v.closeReason());
            return;
        }
        if (c.ip != null) {
            c.counted.set(true);
        }
        c.session = protocol.open(c, v.grantedRoom());
    }

    private static String uriHost(InetSocketAddress bind) {
        InetAddress a = bind.getAddress();
        if (a == null) {
            return bind.getHostString();
        }
        if (a.isAnyLocalAddress()) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
        return a.getHostAddress();
    }

    // ---------------------------------------------------------------- library glue

    private final class Endpoint extends WebSocketServer {

        Endpoint(InetSocketAddress bind, int maxFrameBytes) {
            super(bind, List.of(new ServerDraft(maxFrameBytes)));
        }

        @Override
        public void onStart() {
            int p = getPort();
            if (p > 0) {
                bound.complete(p);
            } else {
                bound.completeExceptionally(new IllegalStateException("listening socket has no port"));
            }
        }

        /** Tells clients this server acknowledges every join (with {@code joined}), so they may wait for it. */
        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                ClientHandshake request) throws InvalidDataException {
            ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
            response.put(SignalingClient.ACKNOWLEDGES_JOINS_HEADER, "1");
            return response;
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            SocketClient c = conn.getAttachment();
            InetSocketAddress remote = conn.getRemoteSocketAddress();
            if (c == null) {
                c = newClient(conn, remote == null ? null : remote.getAddress());
                conn.setAttachment(c);
                live.add(c);
            } else if (c.ip == null && remote != null) {
                c.ip = remote.getAddress();
            }
            // Before admit() counts the connection: behind a trusted proxy, count the client it forwarded for.
            c.ip = admission.clientAddress(c.ip, handshake.getFieldValue("X-Forwarded-For"));
            c.lastMessageNanos = System.nanoTime();
            c.lastHeardNanos = c.lastMessageNanos;
            LOG.fine(() -> "signaling: connection from " + conn.getRemoteSocketAddress());
            metrics.connectionOpened();
            admit(c, handshake);
        }

        /**
         * The server starts a close: counted here, not in {@link #onClose}, because the code onClose reports
         * depends on how the close handshake ends (a peer that drops the socket before answering turns 1009 into
         * 1006), while this is called exactly once, when the library's frame limit decides.
         */
        @Override
        public void onCloseInitiated(WebSocket conn, int code, String reason) {
            if (code == SignalingProtocol.CLOSE_MESSAGE_TOO_BIG) {
                metrics.rejected(ServerMetrics.MESSAGE_TOO_BIG);
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            SocketClient c = conn.getAttachment();
            LOG.fine(() -> "signaling: connection from " + conn.getRemoteSocketAddress() + " closed ("
                    + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            synchronized (connectionClosed) {
                connectionClosed.notifyAll();
            }
            if (c == null) {
                return;
            }
            forget(c);
            RelayProtocol.Session s = c.session;
            if (s != null) {
                try {
                    protocol.closed(s);
                } catch (RuntimeException e) {
                    LOG.log(Level.INFO, "signaling: error cleaning up a closed connection", e);
                }
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            long received = System.nanoTime();
            SocketClient c = conn.getAttachment();
            RelayProtocol.Session s = c == null ? null : c.session;
            if (s == null) {
                return; // rejected (token, per-IP limit) or not opened through onOpen
            }
            c.lastMessageNanos = received;
            c.lastHeardNanos = received;
            health.handlingStarted();
            try {
                protocol.handleText(s, message, received);
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "signaling: error handling a message", e);
                protocol.internalError(s);
            } finally {
                health.handlingDone();
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            SocketClient c = conn.getAttachment();
            RelayProtocol.Session s = c == null ? null : c.session;
            if (s != null) {
                c.lastMessageNanos = System.nanoTime();
                c.lastHeardNanos = c.lastMessageNanos;
                protocol.handleBinary(s);
            }
        }

        /** The answer to a ping of the sweeper's: the connection is alive. */
        @Override
        public void onWebsocketPong(WebSocket conn, Framedata f) {
            heardFrom(conn);
        }

        /** The client's own ping (answered by the library) shows it alive too. */
        @Override
        public void onWebsocketPing(WebSocket conn, Framedata f) {
            super.onWebsocketPing(conn, f);
            heardFrom(conn);
        }

        private void heardFrom(WebSocket conn) {
            if (conn.getAttachment() instanceof SocketClient c) {
                c.lastHeardNanos = System.nanoTime();
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) {
                // Fatal for the whole server (e.g. bind failure): fail start() fast.
                if (!bound.completeExceptionally(ex)) {
                    LOG.log(Level.INFO, "signaling server on " + bindHost + ":" + port + " failed", ex);
                }
            } else {
                LOG.log(Level.FINE, "signaling: connection error from " + conn.getRemoteSocketAddress(), ex);
            }
        }
    }
}
