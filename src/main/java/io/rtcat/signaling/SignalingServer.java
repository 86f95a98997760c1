package io.rtcat.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ClientHandshake;
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
 * <p>Threading: the server runs on daemon threads of the WebSocket library (one selector thread,
 * "WebSocketWorker-N" threads for messages); room state is guarded by one lock. All public
 * methods are thread-safe.
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

    private final Object lock = new Object();
    /** room name to members by user id, in join order; guarded by {@link #lock}. */
    private final Map<String, Map<String, Peer>> rooms = new HashMap<>();

    /** Per-connection state; fields guarded by {@link #lock}. */
    private static final class Peer {
        final WebSocket conn;
        String room;
        String userId;

        Peer(WebSocket conn) {
            this.conn = conn;
        }
    }

    private SignalingServer(InetSocketAddress bind, ServerOptions opts) {
        this.opts = opts;
        this.bindHost = uriHost(bind);
        this.endpoint = new Endpoint(bind, opts.maxMessageBytes());
        endpoint.setReuseAddr(true);
        endpoint.setDaemon(true);
        endpoint.setTcpNoDelay(true);
        endpoint.setConnectionLostTimeout(opts.connectionLostTimeoutSeconds());
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
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(timeout, "timeout");
        ServerOptions o = opts == null ? ServerOptions.defaults() : opts;
        String where = (bind.getAddress() == null ? bind.getHostString() : bind.getAddress().getHostAddress())
                + ":" + bind.getPort();
        if (bind.isUnresolved()) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot listen for signaling on " + where + ": unknown host");
        }
        SignalingServer s = new SignalingServer(bind, o);
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
        LOG.info(() -> "signaling server listening on " + s.uri());
        return s;
    }

    /** The port actually listened on (resolved when started with port 0). */
    public int port() {
        return port;
    }

    /**
     * {@code ws://host:port/} for this server; a wildcard bind address is reported as the
     * loopback address.
     */
    public URI uri() {
        try {
            return new URI("ws", null, bindHost, port, "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot form signaling url for " + bindHost + ":" + port, e);
        }
    }

    public ServerOptions options() {
        return opts;
    }

    /** Number of rooms with at least one member. */
    public int roomCount() {
        synchronized (lock) {
            return rooms.size();
        }
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
        try {
            endpoint.stop(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "error stopping signaling server", e);
        }
        synchronized (lock) {
            rooms.clear();
        }
        bound.completeExceptionally(new IllegalStateException("closed"));
        LOG.fine(() -> "signaling server on " + bindHost + ":" + port + " stopped");
    }

    // ---------------------------------------------------------------- protocol handling

    private void handleText(WebSocket conn, String text) {
        Peer peer = conn.getAttachment();
        if (peer == null) {
            return; // not opened through onOpen; nothing sensible to do
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
                    relay(peer, type, msg);
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
        synchronized (lock) {
            if (peer.room != null) {
                sendError(peer, ERR_ALREADY_JOINED, "already joined room \"" + abbreviate(peer.room)
                        + "\"; send leave first");
                return;
            }
            Map<String, Peer> members = rooms.get(room);
            if (members != null && members.size() >= opts.roomCapacity()) {
                sendError(peer, ERR_ROOM_FULL, "room \"" + abbreviate(room) + "\" is full ("
                        + opts.roomCapacity() + " members)");
                return;
            }
            if (members != null && members.containsKey(userId)) {
                sendError(peer, ERR_USER_ID_TAKEN, "user id \"" + abbreviate(userId)
                        + "\" is already in room \"" + abbreviate(room) + "\"");
                return;
            }
            if (members == null) {
                members = new LinkedHashMap<>();
                rooms.put(room, members);
            }
            ObjectNode ack = Json.object();
            ack.put("type", SignalMessage.JOINED);
            ack.put("room", room);
            ack.put("userId", userId);
            ArrayNode users = ack.putArray("users");
            members.keySet().forEach(users::add);
            ObjectNode note = Json.object();
            note.put("type", SignalMessage.USER_JOINED);
            note.put("userId", userId);
            String noteText = Json.write(note);
            for (Peer other : members.values()) {
                sendRaw(other, noteText);
            }
            members.put(userId, peer);
            peer.room = room;
            peer.userId = userId;
            sendRaw(peer, Json.write(ack));
        }
        LOG.fine(() -> "signaling: " + userId + " joined room " + room);
    }

    /** Removes the peer from its room, telling the others; a no-op when not joined. */
    private void leave(Peer peer) {
        String room;
        String userId;
        synchronized (lock) {
            room = peer.room;
            userId = peer.userId;
            if (room == null) {
                return;
            }
            peer.room = null;
            peer.userId = null;
            Map<String, Peer> members = rooms.get(room);
            if (members == null) {
                return;
            }
            members.remove(userId, peer);
            if (members.isEmpty()) {
                rooms.remove(room);
            } else {
                ObjectNode note = Json.object();
                note.put("type", SignalMessage.USER_LEFT);
                note.put("userId", userId);
                String noteText = Json.write(note);
                for (Peer other : members.values()) {
                    sendRaw(other, noteText);
                }
            }
        }
        LOG.fine(() -> "signaling: " + userId + " left room " + room);
    }

    private void relay(Peer peer, String type, ObjectNode msg) {
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
        synchronized (lock) {
            room = peer.room;
            sender = peer.userId;
        }
        if (room == null) {
            sendError(peer, ERR_NOT_JOINED, "send join before \"" + abbreviate(type) + "\"");
            return;
        }
        msg.put("sender", sender);
        String out = Json.write(msg); // outside the lock: may be up to maxMessageBytes
        List<Peer> recipients = new ArrayList<>();
        synchronized (lock) {
            Map<String, Peer> members = peer.room == null ? null : rooms.get(peer.room);
            if (members == null || !room.equals(peer.room)) {
                sendError(peer, ERR_NOT_JOINED, "send join before \"" + abbreviate(type) + "\"");
                return;
            }
            if (target != null) {
                Peer dst = members.get(target);
                if (dst == null) {
                    sendError(peer, ERR_UNKNOWN_TARGET, "no user \"" + abbreviate(target) + "\" in room \""
                            + abbreviate(room) + "\"");
                    return;
                }
                recipients.add(dst);
            } else {
                for (Peer other : members.values()) {
                    if (other != peer) {
                        recipients.add(other);
                    }
                }
            }
            // Send under the lock so relays stay ordered with user-joined/user-left notes.
            for (Peer r : recipients) {
                sendRaw(r, out);
            }
        }
        String tgt = target;
        LOG.fine(() -> "signaling: relayed " + type + " from " + sender + " to "
                + (tgt == null ? recipients.size() + " peer(s)" : tgt) + " in room " + room);
    }

    private void sendError(Peer peer, String code, String message) {
        LOG.fine(() -> "signaling: error " + code + " to " + peer.conn.getRemoteSocketAddress() + ": " + message);
        ObjectNode err = Json.object();
        err.put("type", SignalMessage.ERROR);
        err.put("code", code);
        err.put("message", message);
        sendRaw(peer, Json.write(err));
    }

    /** Queues text on a connection; never throws (a closed connection is cleaned up by onClose). */
    private static void sendRaw(Peer peer, String text) {
        try {
            peer.conn.send(text);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "signaling: cannot send to " + peer.conn.getRemoteSocketAddress(), e);
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

    // ---------------------------------------------------------------- library glue

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
            conn.setAttachment(new Peer(conn));
            LOG.fine(() -> "signaling: connection from " + conn.getRemoteSocketAddress());
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            Peer peer = conn.getAttachment();
            LOG.fine(() -> "signaling: connection from " + conn.getRemoteSocketAddress() + " closed ("
                    + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            if (peer != null) {
                try {
                    leave(peer);
                } catch (RuntimeException e) {
                    LOG.log(Level.INFO, "signaling: error cleaning up a closed connection", e);
                }
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            try {
                handleText(conn, message);
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "signaling: error handling a message", e);
                Peer peer = conn.getAttachment();
                if (peer != null) {
                    sendError(peer, ERR_INTERNAL, "server could not handle the message");
                }
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            Peer peer = conn.getAttachment();
            if (peer != null) {
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
