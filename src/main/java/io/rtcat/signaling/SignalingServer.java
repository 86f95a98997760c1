package io.rtcat.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.handshake.ClientHandshake;
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
 *     {@link #CLOSE_UNAUTHORIZED} 4401 "unauthorized"; nothing it sends is processed. (A close code,
 *     unlike an HTTP 401, is visible to browser JavaScript.) The token is never logged.</li>
 * <li>Idle: an open connection that sends no message for {@link ServerOptions#idleTimeoutSeconds()}
 *     is closed with {@link #CLOSE_IDLE} 4408 "idle". Ping-based lost-connection detection
 *     ({@link ServerOptions#connectionLostTimeoutSeconds()}) runs as before. A connection that does not
 *     finish the (TLS and) WebSocket handshake within {@link ServerOptions#handshakeTimeoutSeconds()} is
 *     dropped (slowloris), one that finished it but has not joined a room by then is closed with
 *     {@link #CLOSE_JOIN_TIMEOUT} 4410 "join timeout", and a connection that does not answer our close
 *     frame within {@value #CLOSE_GRACE_MILLIS} ms is dropped.</li>
 * <li>Rooms per IP: a join that would put the connections from one address into more than
 *     {@link ServerOptions#maxRoomsPerIp()} distinct rooms gets error {@link #ERR_TOO_MANY_ROOMS}.</li>
 * <li>TURN: with {@link ServerOptions#turn()} the {@code joined} message carries
 *     {@code "iceServers":[{"urls":[...],"username":U,"credential":C}]}, fresh short-lived credentials
 *     (see {@link TurnCredentials}).</li>
 * <li>Per IP: more than {@link ServerOptions#maxConnectionsPerIp()} open connections from one address:
 *     the extra one is closed with {@link #CLOSE_TOO_MANY} 4429 "too many connections".</li>
 * <li>Rate: each connection has a token bucket ({@link ServerOptions#messagesPerSecond()},
 *     {@link ServerOptions#messageBurst()}). A message over the limit is dropped; the first of a run
 *     of dropped messages is answered with error {@link #ERR_RATE_LIMITED}. After
 *     {@value #MAX_DROPPED_MESSAGES} dropped messages the connection is closed with 4429
 *     "rate limit exceeded".</li>
 * <li>TLS: with {@link ServerOptions#sslContext()} the server speaks {@code wss://} only.</li>
 * </ul>
 * Joins and leaves are logged at INFO (one line each), rejections at INFO, the rest at FINE.
 *
 * <p>Threading: the server runs on daemon threads of the WebSocket library (one selector thread,
 * "WebSocketWorker-N" threads for messages); room state lives in a {@link Rooms} ({@link InMemoryRooms},
 * or {@link RedisRooms} when several servers share a Redis). All public methods are thread-safe.
 */
public final class SignalingServer implements AutoCloseable {

    /** The message is not a JSON object (or not valid JSON). */
    public static final String ERR_BAD_JSON = "bad-json";
    /** The JSON object has no non-empty string {@code type}. */
    public static final String ERR_MISSING_TYPE = "missing-type";
    /** A message other than join/leave arrived before a successful join. */
    public static final String ERR_NOT_JOINED = "not-joined";
    /** A join lacks a valid {@code room} or {@code userId}. */
    public static final String ERR_BAD_JOIN = "bad-join";
    /** A second join on the same connection without a leave. */
    public static final String ERR_ALREADY_JOINED = "already-joined";
    /** The room already holds {@link ServerOptions#roomCapacity()} members. */
    public static final String ERR_ROOM_FULL = "room-full";
    /** Another member of the room already uses this user id. */
    public static final String ERR_USER_ID_TAKEN = "user-id-taken";
    /** {@code target} names nobody in the sender's room. */
    public static final String ERR_UNKNOWN_TARGET = "unknown-target";
    /** {@code target} is present but not a string. */
    public static final String ERR_BAD_TARGET = "bad-target";
    /** A client tried to send a type only the server may send (user-joined, error, ...). */
    public static final String ERR_RESERVED_TYPE = "reserved-type";
    /** A binary WebSocket frame; the protocol is text only. */
    public static final String ERR_BINARY = "binary-unsupported";
    /** An unexpected server-side failure handling the message. */
    public static final String ERR_INTERNAL = "internal";
    /** The connection exceeded its message rate; the message was dropped. */
    public static final String ERR_RATE_LIMITED = "rate-limited";
    /** With signed join tokens: the join names another room than the connection's token grants. */
    public static final String ERR_ROOM_NOT_ALLOWED = "room-not-allowed";
    /** The connections from this IP are already in {@link ServerOptions#maxRoomsPerIp()} rooms. */
    public static final String ERR_TOO_MANY_ROOMS = "too-many-rooms";

    /** Close code for a missing or wrong token. */
    public static final int CLOSE_UNAUTHORIZED = 4401;
    /** Close code for a connection that sent nothing for the idle timeout. */
    public static final int CLOSE_IDLE = 4408;
    /** Close code for a connection that did not join a room within the handshake timeout. */
    public static final int CLOSE_JOIN_TIMEOUT = 4410;
    /** Close code for too many connections from one IP, or sustained rate-limit abuse. */
    public static final int CLOSE_TOO_MANY = 4429;
    /**
     * Close code for a connection that does not read what is sent to it: more than
     * {@link #maxQueuedBytes(ServerOptions)} bytes or {@value #MAX_QUEUED_FRAMES} frames wait for its socket.
     */
    public static final int CLOSE_SLOW_READER = 4413;
    /** Frames that may wait for one connection's socket before it counts as a slow reader. */
    public static final int MAX_QUEUED_FRAMES = 1024;
    /** Floor of {@link #maxQueuedBytes(ServerOptions)}. */
    public static final int MIN_QUEUED_BYTES = 256 * 1024;
    /** Close code (RFC 6455) the library uses for a message over {@link ServerOptions#maxMessageBytes()}. */
    public static final int CLOSE_MESSAGE_TOO_BIG = 1009;
    /** Dropped (rate-limited) messages after which a connection is closed with {@link #CLOSE_TOO_MANY}. */
    public static final int MAX_DROPPED_MESSAGES = 1000;
    /** Longest a peer may take to answer our close frame before the socket is dropped. */
    public static final long CLOSE_GRACE_MILLIS = 5_000;

    /** Longest accepted room name or user id, in characters. */
    public static final int MAX_ID_LENGTH = 256;

    private static final Logger LOG = Logger.getLogger(SignalingServer.class.getName());
    private static final int STOP_TIMEOUT_MILLIS = 2000;
    private static final Set<String> RESERVED_TYPES = Set.of(
            SignalMessage.USER_JOINED, SignalMessage.USER_LEFT, SignalMessage.JOINED, SignalMessage.ERROR);

    private final ServerOptions opts;
    private final Endpoint endpoint;
    private final String bindHost;
    private final CompletableFuture<Integer> bound = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port = -1;
    private final byte[] tokenHash;
    private final ScheduledExecutorService sweeper;
    /** Every accepted TCP connection until it is seen closed (including unfinished handshakes). */
    private final Set<Peer> live = ConcurrentHashMap.newKeySet();
    /** Open, admitted connections per remote address. */
    private final Map<InetAddress, Integer> perIp = new ConcurrentHashMap<>();

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerHealth health = new ServerHealth();
    private final TurnIssuance turnIssuance = new TurnIssuance();

    /** Membership and delivery: in this process, or shared through Redis. */
    private final Rooms rooms;
    /** Distinct rooms per remote address (this server's connections only); guarded by itself. */
    private final RoomsPerIp roomsPerIp;

    /** Per-connection state; room, userId, gone and the bucket guarded by the peer itself. */
    private final class Peer implements Rooms.Member {
        final WebSocket conn;
        final long createdNanos;
        volatile InetAddress ip;
        /** Passed the token and per-IP checks; only admitted peers' messages are handled. */
        volatile boolean admitted;
        volatile long lastMessageNanos;
        /** When we asked to close it (0: not yet). */
        volatile long closeRequestedNanos;
        final AtomicBoolean counted = new AtomicBoolean();
        double tokens;
        long refillNanos;
        long dropped;
        boolean dropping;
        /** Joined a room at least once; until then the handshake timeout applies. */
        volatile boolean everJoined;
        /** With signed join tokens: the one room this connection's token admits it to. */
        volatile String grantedRoom;
        String room;
        String userId;
        /** Seen closed: a join that finishes afterwards must undo itself. */
        boolean gone;
        /** Cut as a slow reader: nothing more is queued for it. */
        final AtomicBoolean slow = new AtomicBoolean();

        Peer(WebSocket conn, InetAddress ip, double burst) {
            this.conn = conn;
            this.ip = ip;
            this.createdNanos = System.nanoTime();
            this.lastMessageNanos = createdNanos;
            this.tokens = burst;
            this.refillNanos = createdNanos;
        }

        @Override
        public void deliver(String text) {
            sendRaw(this, text);
        }
    }

    private SignalingServer(InetSocketAddress bind, ServerOptions opts, Rooms rooms) {
        this.opts = opts;
        this.rooms = rooms;
        this.bindHost = uriHost(bind);
        this.endpoint = new Endpoint(bind, opts.maxMessageBytes());
        endpoint.setReuseAddr(true);
        endpoint.setDaemon(true);
        endpoint.setTcpNoDelay(true);
        endpoint.setConnectionLostTimeout(opts.connectionLostTimeoutSeconds());
        WebSocketServerFactory factory;
        if (opts.sslContext() != null) {
            ExecutorService tlsTasks = Executors.newSingleThreadExecutor(r -> daemon(r, "rtcat-signaling-tls"));
            factory = new DefaultSSLWebSocketServerFactory(opts.sslContext(), tlsTasks);
        } else {
            factory = new DefaultWebSocketServerFactory();
        }
        endpoint.setWebSocketFactory(new TrackingFactory(new PageServingFactory(factory, WebPage.load(), metrics::pageAnswered)));
        this.tokenHash = opts.token() == null ? null : sha256(opts.token());
        this.roomsPerIp = new RoomsPerIp(opts.maxRoomsPerIp());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rtcat-signaling-sweeper"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
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
            s.port = s.bound.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            s.close();
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot listen for signaling on " + where + ": " + describe(e.getCause()),
                    "choose another port or stop the program using it", e.getCause());
        } catch (TimeoutException e) {
            s.close();
            throw new RtcatException(RtcatException.Kind.TIMEOUT,
                    "signaling server did not start listening on " + where + " within "
                            + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.close();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED,
                    "interrupted while starting signaling server on " + where);
        } catch (RuntimeException e) {
            s.close();
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot listen for signaling on " + where + ": " + describe(e), null, e);
        }
        long period = s.sweepPeriodMillis();
        s.sweeper.scheduleWithFixedDelay(s::sweepSafely, period, period, TimeUnit.MILLISECONDS);
        LOG.info(() -> "signaling server listening on " + s.uri() + (s.opts.token() == null ? "" : " (token required)"));
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
        for (Peer p : live) {
            if (p.admitted && p.conn.isOpen()) {
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
        sweeper.shutdownNow();
        try {
            endpoint.stop(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "error stopping signaling server", e);
        }
        rooms.close();
        synchronized (roomsPerIp) {
            roomsPerIp.clear();
        }
        live.clear();
        perIp.clear();
        bound.completeExceptionally(new IllegalStateException("closed"));
        LOG.fine(() -> "signaling server on " + bindHost + ":" + port + " stopped");
    }

    // ---------------------------------------------------------------- protocol handling

    private void handleText(WebSocket conn, String text) {
        long received = System.nanoTime();
        Peer peer = conn.getAttachment();
        if (peer == null || !peer.admitted) {
            return; // rejected (token, per-IP limit) or not opened through onOpen
        }
        if (!allowMessage(peer)) {
            return;
        }
        JsonNode tree;
        try {
            tree = Json.read(text);
        } catch (JsonProcessingException e) {
            sendError(peer, ERR_BAD_JSON, "malformed json: " + Json.describe(e));
            return;
        }
        if (tree == null || !tree.isObject()) {
            sendError(peer, ERR_BAD_JSON, "message must be a json object");
            return;
        }
        ObjectNode msg = (ObjectNode) tree;
        JsonNode typeNode = msg.get("type");
        if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isEmpty()) {
            sendError(peer, ERR_MISSING_TYPE, "message needs a non-empty string field \"type\"");
            return;
        }
        String type = typeNode.asText();
        switch (type) {
            case SignalMessage.JOIN:
                handleJoin(peer, msg);
                break;
            case SignalMessage.LEAVE:
                leave(peer);
                break;
            default:
                if (RESERVED_TYPES.contains(type)) {
                    sendError(peer, ERR_RESERVED_TYPE, "clients may not send \"" + abbreviate(type) + "\"");
                } else {
                    relay(peer, type, msg, received);
                }
        }
    }

    private void handleJoin(Peer peer, ObjectNode msg) {
        String room = idField(msg, "room");
        String userId = idField(msg, "userId");
        if (room == null || userId == null) {
            sendError(peer, ERR_BAD_JOIN, "join needs non-empty string fields \"room\" and \"userId\" of at most "
                    + MAX_ID_LENGTH + " characters");
            return;
        }
        if (peer.grantedRoom != null && !peer.grantedRoom.equals(room)) {
            sendError(peer, ERR_ROOM_NOT_ALLOWED, "this connection's join token is for another room");
            return;
        }
        synchronized (peer) {
            if (peer.room != null) {
                sendError(peer, ERR_ALREADY_JOINED, "already joined room \"" + abbreviate(peer.room)
                        + "\"; send leave first");
                return;
            }
        }
        boolean entered;
        synchronized (roomsPerIp) {
            entered = roomsPerIp.enter(peer.ip, room);
        }
        if (!entered) {
            LOG.info(() -> "signaling: refused a join from " + hostOf(peer) + ": its address is in "
                    + roomsPerIp.limit() + " rooms already");
            sendError(peer, ERR_TOO_MANY_ROOMS, "connections from your address are in " + roomsPerIp.limit()
                    + " rooms already; leave one first");
            return;
        }
        ObjectNode ackExtras = null;
        if (opts.turn() != null) {
            if (turnIssuance.tryIssue(peer.ip, System.nanoTime())) {
                ackExtras = Json.object();
                // Labelled by the server (the client's address), not with a name the client chose.
                ackExtras.set("iceServers", opts.turn().iceServersJson(turnLabel(peer), java.time.Instant.now()));
            } else {
                metrics.rejected(ServerMetrics.TURN_LIMITED);
                LOG.info(() -> "signaling: no TURN credentials for " + hostOf(peer) + ": more than "
                        + TurnIssuance.BURST + " in a row from that address");
            }
        }
        Rooms.JoinOutcome outcome = rooms.join(room, userId, peer, ackExtras);
        if (outcome != Rooms.JoinOutcome.JOINED) {
            synchronized (roomsPerIp) {
                roomsPerIp.leave(peer.ip, room);
            }
        }
        switch (outcome) {
            case ROOM_FULL -> {
                sendError(peer, ERR_ROOM_FULL, "room \"" + abbreviate(room) + "\" is full ("
                        + opts.roomCapacity() + " members)");
                return;
            }
            case USER_ID_TAKEN -> {
                sendError(peer, ERR_USER_ID_TAKEN, "user id \"" + abbreviate(userId)
                        + "\" is already in room \"" + abbreviate(room) + "\"");
                return;
            }
            case JOINED -> {
            }
        }
        boolean closedMeanwhile;
        synchronized (peer) {
            closedMeanwhile = peer.gone;
            if (!closedMeanwhile) {
                peer.room = room;
                peer.userId = userId;
                peer.everJoined = true;
            }
        }
        if (closedMeanwhile) {
            rooms.leave(room, userId, peer);
            synchronized (roomsPerIp) {
                roomsPerIp.leave(peer.ip, room);
            }
            return;
        }
        LOG.info(() -> "signaling: " + forLog(userId) + " joined room " + forLog(room) + " from "
                + hostOf(peer));
    }

    /** The connection's address in a TURN username: {@code 192.0.2.7}, {@code 2001-db8--1}. */
    private static String turnLabel(Peer peer) {
        return peer.ip == null ? "unknown" : peer.ip.getHostAddress().replace(':', '-').replaceAll("%.*", "");
    }

    /** Removes the peer from its room, telling the others; a no-op when not joined. */
    private void leave(Peer peer) {
        String room;
        String userId;
        synchronized (peer) {
            room = peer.room;
            userId = peer.userId;
            if (room == null) {
                return;
            }
            peer.room = null;
            peer.userId = null;
        }
        rooms.leave(room, userId, peer);
        synchronized (roomsPerIp) {
            roomsPerIp.leave(peer.ip, room);
        }
        LOG.info(() -> "signaling: " + forLog(userId) + " left room " + forLog(room));
    }

    private void relay(Peer peer, String type, ObjectNode msg, long receivedNanos) {
        String target = null;
        JsonNode t = msg.get("target");
        if (t != null && !t.isNull()) {
            if (!t.isTextual()) {
                sendError(peer, ERR_BAD_TARGET, "\"target\" must be a user id string");
                return;
            }
            target = t.asText();
        }
        String room;
        String sender;
        synchronized (peer) {
            room = peer.room;
            sender = peer.userId;
        }
        if (room == null) {
            sendError(peer, ERR_NOT_JOINED, "send join before \"" + abbreviate(type) + "\"");
            return;
        }
        msg.put("sender", sender);
        String out = Json.write(msg);
        int handed = rooms.relay(room, sender, peer, target, out);
        if (handed == Rooms.UNKNOWN_TARGET) {
            sendError(peer, ERR_UNKNOWN_TARGET, "no user \"" + abbreviate(target) + "\" in room \""
                    + abbreviate(room) + "\"");
            return;
        }
        if (handed > 0) {
            metrics.relayed(System.nanoTime() - receivedNanos);
        }
        String tgt = target;
        LOG.fine(() -> "signaling: relayed " + type + " from " + sender + " to "
                + (tgt == null ? handed + " peer(s)" : tgt) + " in room " + room);
    }

    private void sendError(Peer peer, String code, String message) {
        if (!code.equals(ERR_RATE_LIMITED)) {
            metrics.rejected(code); // rate-limited: counted per dropped message in allowMessage
        }
        LOG.fine(() -> "signaling: error " + code + " to " + peer.conn.getRemoteSocketAddress() + ": " + message);
        ObjectNode err = Json.object();
        err.put("type", SignalMessage.ERROR);
        err.put("code", code);
        err.put("message", message);
        sendRaw(peer, Json.write(err));
    }

    /**
     * Most bytes that may wait in one connection's out-queue: four of the largest messages, at least
     * {@value #MIN_QUEUED_BYTES}. The library's queue is unbounded, so without this a member that stops
     * reading makes the server keep everything the room sends it (a full heap in seconds).
     */
    public static long maxQueuedBytes(ServerOptions o) {
        return Math.max(MIN_QUEUED_BYTES, 4L * o.maxMessageBytes());
    }

    /**
     * Queues text on a connection unless it is a slow reader, which is cut instead (the socket dropped at
     * once: a close frame would wait behind the backlog); never throws (a closed connection is cleaned up
     * by onClose).
     */
    private void sendRaw(Peer peer, String text) {
        if (peer.slow.get()) {
            return;
        }
        long queued = OutQueue.bytesWaiting(peer.conn, MAX_QUEUED_FRAMES);
        if (queued < 0 || queued + text.length() > maxQueuedBytes(opts)) {
            cutSlowReader(peer, queued);
            return;
        }
        try {
            peer.conn.send(text);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot send to " + peer.conn.getRemoteSocketAddress(), e);
        }
    }

    private void cutSlowReader(Peer peer, long queued) {
        if (!peer.slow.compareAndSet(false, true)) {
            return;
        }
        metrics.rejected(ServerMetrics.SLOW_READER);
        LOG.info(() -> "signaling: closing connection from " + hostOf(peer) + ": it does not read ("
                + (queued < 0 ? "over " + MAX_QUEUED_FRAMES + " frames" : queued + " bytes") + " waiting)");
        try {
            peer.conn.closeConnection(CLOSE_SLOW_READER, "slow reader");
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot close connection from " + hostOf(peer), e);
        }
    }

    private static String idField(ObjectNode msg, String field) {
        JsonNode v = msg.get(field);
        if (v == null || !v.isTextual()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() || s.length() > MAX_ID_LENGTH ? null : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m.replaceAll("\\s+", " ").trim().toLowerCase(java.util.Locale.ROOT);
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

    /** Printable, bounded and single-line, for log lines about client-chosen names. */
    private static String forLog(String s) {
        String a = abbreviate(s);
        StringBuilder b = new StringBuilder(a.length() + 2).append('"');
        a.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.append('"').toString();
    }

    private static String hostOf(Peer peer) {
        InetAddress a = peer.ip;
        return a == null ? "unknown address" : a.getHostAddress();
    }

    // ---------------------------------------------------------------- hardening

    /** Token bucket check; answers the first of a run of drops and closes sustained abusers. */
    private boolean allowMessage(Peer peer) {
        peer.lastMessageNanos = System.nanoTime();
        double rate = opts.messagesPerSecond();
        if (rate <= 0) {
            return true;
        }
        long dropped;
        boolean first;
        synchronized (peer) {
            long now = System.nanoTime();
            peer.tokens = Math.min(opts.messageBurst(), peer.tokens + (now - peer.refillNanos) / 1e9 * rate);
            peer.refillNanos = now;
            if (peer.tokens >= 1) {
                peer.tokens -= 1;
                peer.dropping = false;
                return true;
            }
            dropped = ++peer.dropped;
            first = !peer.dropping;
            peer.dropping = true;
        }
        metrics.rejected(ERR_RATE_LIMITED);
        if (dropped == MAX_DROPPED_MESSAGES) {
            metrics.rejected(ServerMetrics.RATE_LIMIT_EXCEEDED);
            LOG.info(() -> "signaling: closing connection from " + hostOf(peer) + ": " + MAX_DROPPED_MESSAGES
                    + " messages over the rate limit");
            requestClose(peer, CLOSE_TOO_MANY, "rate limit exceeded");
        } else if (dropped < MAX_DROPPED_MESSAGES && first) {
            sendError(peer, ERR_RATE_LIMITED, "too many messages: at most " + formatRate(rate) + " per second (burst "
                    + opts.messageBurst() + "); message dropped");
        }
        return false;
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }

    /** Starts a close handshake once; the sweeper drops the socket if the peer does not answer. */
    private static void requestClose(Peer peer, int code, String reason) {
        if (peer.closeRequestedNanos == 0) {
            peer.closeRequestedNanos = System.nanoTime();
        }
        try {
            peer.conn.close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot close connection from " + hostOf(peer), e);
        }
    }

    /** Decides whether a freshly opened connection may stay: token, then per-IP limit. */
    private void admit(Peer peer, ClientHandshake handshake) {
        if (opts.joinSecret() != null) {
            try {
                String token = tokenParam(handshake.getResourceDescriptor());
                peer.grantedRoom = JoinTokens.verify(opts.joinSecret(), token, java.time.Instant.now()).room();
            } catch (JoinTokens.Refused e) {
                LOG.info(() -> "signaling: rejected connection from " + hostOf(peer) + ": " + e.getMessage());
                metrics.rejected(ServerMetrics.UNAUTHORIZED);
                requestClose(peer, CLOSE_UNAUTHORIZED, e.getMessage());
                return;
            }
        }
        if (tokenHash != null && !tokenMatches(handshake.getResourceDescriptor())) {
            LOG.info(() -> "signaling: rejected connection from " + hostOf(peer) + ": missing or wrong token");
            metrics.rejected(ServerMetrics.UNAUTHORIZED);
            requestClose(peer, CLOSE_UNAUTHORIZED, "unauthorized");
            return;
        }
        int limit = opts.maxConnectionsPerIp();
        InetAddress ip = peer.ip;
        if (ip != null) {
            boolean[] ok = {false};
            perIp.compute(IpKey.of(ip), (k, v) -> {
                int n = v == null ? 0 : v;
                if (limit > 0 && n >= limit) {
                    return v;
                }
                ok[0] = true;
                return n + 1;
            });
            if (!ok[0]) {
                LOG.info(() -> "signaling: rejected connection from " + hostOf(peer) + ": more than " + limit
                        + " connections from that address");
                metrics.rejected(ServerMetrics.TOO_MANY_CONNECTIONS);
                requestClose(peer, CLOSE_TOO_MANY, "too many connections");
                return;
            }
            peer.counted.set(true);
        }
        peer.admitted = true;
    }

    /** Gives back the peer's per-IP slot; idempotent. */
    private void release(Peer peer) {
        if (peer.counted.compareAndSet(true, false)) {
            perIp.computeIfPresent(IpKey.of(peer.ip), (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    private boolean tokenMatches(String resource) {
        try {
            String found = tokenParam(resource);
            return MessageDigest.isEqual(sha256(found), tokenHash);
        } catch (JoinTokens.Refused e) {
            return false;
        }
    }

    /** The one {@code token} query parameter of the request, URL-decoded; refused if missing or repeated. */
    private static String tokenParam(String resource) throws JoinTokens.Refused {
        int q = resource == null ? -1 : resource.indexOf('?');
        String found = null;
        if (q >= 0) {
            for (String param : resource.substring(q + 1).split("&")) {
                if (!param.startsWith("token=")) {
                    continue;
                }
                if (found != null) {
                    throw new JoinTokens.Refused("two tokens"); // ambiguous, refuse
                }
                try {
                    found = URLDecoder.decode(param.substring("token=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new JoinTokens.Refused("malformed token");
                }
            }
        }
        if (found == null) {
            throw new JoinTokens.Refused("missing token");
        }
        return found;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "signaling: error checking connections", e);
        }
    }

    /** A quarter of the shortest timeout, within 100-1000 ms, so that timeouts fire roughly on time. */
    private long sweepPeriodMillis() {
        long shortest = opts.handshakeTimeoutSeconds() * 1000L;
        if (opts.idleTimeoutSeconds() > 0) {
            shortest = Math.min(shortest, opts.idleTimeoutSeconds() * 1000L);
        }
        return Math.max(100, Math.min(1000, shortest / 4));
    }

    /** Drops closed entries, unfinished handshakes and joins, unanswered closes and idle connections. */
    private void sweep() {
        long now = System.nanoTime();
        long idleNanos = TimeUnit.SECONDS.toNanos(opts.idleTimeoutSeconds());
        long handshakeNanos = TimeUnit.SECONDS.toNanos(opts.handshakeTimeoutSeconds());
        for (Peer p : live) {
            WebSocket c = p.conn;
            if (c.isClosed()) {
                live.remove(p);
                release(p);
            } else if (p.closeRequestedNanos != 0) {
                if (now - p.closeRequestedNanos > TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS)) {
                    c.closeConnection(1006, "close handshake timed out");
                }
            } else if (c.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                if (now - p.createdNanos > handshakeNanos) {
                    LOG.fine(() -> "signaling: dropping " + hostOf(p) + ": no handshake within "
                            + opts.handshakeTimeoutSeconds() + " s");
                    metrics.rejected(ServerMetrics.HANDSHAKE_TIMEOUT);
                    c.closeConnection(1006, "handshake timed out");
                }
            } else if (p.admitted && !p.everJoined && c.isOpen() && now - p.createdNanos > handshakeNanos) {
                LOG.info(() -> "signaling: closing connection from " + hostOf(p) + ": no join within "
                        + opts.handshakeTimeoutSeconds() + " s");
                metrics.rejected(ServerMetrics.JOIN_TIMEOUT);
                requestClose(p, CLOSE_JOIN_TIMEOUT, "join timeout");
            } else if (idleNanos > 0 && c.isOpen() && now - p.lastMessageNanos > idleNanos) {
                LOG.info(() -> "signaling: closing idle connection from " + hostOf(p) + " (no message for "
                        + opts.idleTimeoutSeconds() + " s)");
                metrics.rejected(ServerMetrics.IDLE);
                requestClose(p, CLOSE_IDLE, "idle");
            }
        }
    }

    // ---------------------------------------------------------------- library glue

    /** Wraps the library's factory to see every accepted socket, before its handshake. */
    private final class TrackingFactory implements WebSocketServerFactory {
        private final WebSocketServerFactory delegate;

        TrackingFactory(WebSocketServerFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
            return delegate.createWebSocket(a, d);
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
            return delegate.createWebSocket(a, drafts);
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
            if (key.attachment() instanceof WebSocket ws && ws.getAttachment() == null) {
                Peer p = new Peer(ws, channel.socket().getInetAddress(), opts.messageBurst());
                ws.setAttachment(p);
                live.add(p);
            }
            return delegate.wrapChannel(channel, key);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private final class Endpoint extends WebSocketServer {

        Endpoint(InetSocketAddress bind, int maxFrameBytes) {
            super(bind, List.of(new Draft_6455(List.of(), maxFrameBytes)));
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

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            Peer peer = conn.getAttachment();
            InetSocketAddress remote = conn.getRemoteSocketAddress();
            if (peer == null) {
                peer = new Peer(conn, remote == null ? null : remote.getAddress(), opts.messageBurst());
                conn.setAttachment(peer);
                live.add(peer);
            } else if (peer.ip == null && remote != null) {
                peer.ip = remote.getAddress();
            }
            if (!opts.trustedProxies().isEmpty()) {
                // Before admit() counts the connection: behind a trusted proxy, count the client it forwarded for.
                peer.ip = opts.trustedProxies().client(peer.ip, handshake.getFieldValue("X-Forwarded-For"));
            }
            peer.lastMessageNanos = System.nanoTime();
            LOG.fine(() -> "signaling: connection from " + conn.getRemoteSocketAddress());
            metrics.connectionOpened();
            admit(peer, handshake);
        }

        /**
         * The server starts a close: counted here, not in {@link #onClose}, because the code onClose reports
         * depends on how the close handshake ends (a peer that drops the socket before answering turns 1009 into
         * 1006), while this is called exactly once, when the library's frame limit decides.
         */
        @Override
        public void onCloseInitiated(WebSocket conn, int code, String reason) {
            if (code == CLOSE_MESSAGE_TOO_BIG) {
                metrics.rejected(ServerMetrics.MESSAGE_TOO_BIG);
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            Peer peer = conn.getAttachment();
            LOG.fine(() -> "signaling: connection from " + conn.getRemoteSocketAddress() + " closed ("
                    + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            if (peer != null) {
                live.remove(peer);
                release(peer);
                synchronized (peer) {
                    peer.gone = true;
                }
                try {
                    leave(peer);
                } catch (RuntimeException e) {
                    LOG.log(Level.INFO, "signaling: error cleaning up a closed connection", e);
                }
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            health.handlingStarted();
            try {
                handleText(conn, message);
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "signaling: error handling a message", e);
                Peer peer = conn.getAttachment();
                if (peer != null && peer.admitted) {
                    sendError(peer, ERR_INTERNAL, "server could not handle the message");
                }
            } finally {
                health.handlingDone();
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            Peer peer = conn.getAttachment();
            if (peer != null && peer.admitted && allowMessage(peer)) {
                sendError(peer, ERR_BINARY, "binary messages are not supported; send json text");
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
