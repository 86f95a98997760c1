package io.rtcat.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Set;
import java.util.logging.Logger;

import static io.rtcat.signaling.SignalingProtocol.ERR_ALREADY_JOINED;
import static io.rtcat.signaling.SignalingProtocol.ERR_BAD_JOIN;
import static io.rtcat.signaling.SignalingProtocol.ERR_BAD_JSON;
import static io.rtcat.signaling.SignalingProtocol.ERR_BAD_TARGET;
import static io.rtcat.signaling.SignalingProtocol.ERR_BINARY;
import static io.rtcat.signaling.SignalingProtocol.ERR_INTERNAL;
import static io.rtcat.signaling.SignalingProtocol.ERR_MISSING_TYPE;
import static io.rtcat.signaling.SignalingProtocol.ERR_NOT_JOINED;
import static io.rtcat.signaling.SignalingProtocol.ERR_RATE_LIMITED;
import static io.rtcat.signaling.SignalingProtocol.ERR_RESERVED_TYPE;
import static io.rtcat.signaling.SignalingProtocol.ERR_ROOM_FULL;
import static io.rtcat.signaling.SignalingProtocol.ERR_ROOM_NOT_ALLOWED;
import static io.rtcat.signaling.SignalingProtocol.ERR_TOO_MANY_ROOMS;
import static io.rtcat.signaling.SignalingProtocol.ERR_UNKNOWN_TARGET;
import static io.rtcat.signaling.SignalingProtocol.ERR_USER_ID_TAKEN;
import static io.rtcat.signaling.SignalingProtocol.MAX_DROPPED_MESSAGES;
import static io.rtcat.signaling.SignalingProtocol.MAX_ID_LENGTH;

/**
 * The relay protocol of one server, with no sockets: it reads a client's text messages, joins and leaves rooms,
 * relays to the other members (stamping {@code sender}) and answers mistakes with {@code error}. It talks to
 * clients only through {@link Client}, so a recording fake tests it in milliseconds. Thread-safe: messages
 * from different clients may be handled at once (the library's worker threads).
 */
final class RelayProtocol {

    private static final Logger LOG = Logger.getLogger(RelayProtocol.class.getName());
    private static final Set<String> RESERVED_TYPES = Set.of(
            SignalMessage.USER_JOINED, SignalMessage.USER_LEFT, SignalMessage.JOINED, SignalMessage.ERROR);

    /** One client's place in the protocol; room, userId and gone guarded by the session itself. */
    static final class Session {
        final Client client;
        final RateLimiter.Bucket bucket;
        /** With signed join tokens: the one room this connection's token admits it to. */
        final String grantedRoom;
        /** Joined a room at least once; until then the handshake timeout applies. */
        volatile boolean everJoined;
        private String room;
        private String userId;
        /** Seen closed: a join that finishes afterwards must undo itself. */
        private boolean gone;

        Session(Client client, RateLimiter.Bucket bucket, String grantedRoom) {
            this.client = client;
            this.bucket = bucket;
            this.grantedRoom = grantedRoom;
        }

        synchronized String room() {
            return room;
        }
    }

    private final ServerOptions opts;
    private final Rooms rooms;
    private final ServerMetrics metrics;
    private final RateLimiter limiter;
    private final TurnIssuance turnIssuance = new TurnIssuance();
    /** Distinct rooms per remote address (this server's connections only). */
    private final RoomsPerIp roomsPerIp;

    RelayProtocol(ServerOptions opts, Rooms rooms, ServerMetrics metrics, RateLimiter limiter) {
        this.opts = opts;
        this.rooms = rooms;
        this.metrics = metrics;
        this.limiter = limiter;
        this.roomsPerIp = new RoomsPerIp(opts.maxRoomsPerIp());
    }

    /** A session for a newly admitted client. */
    Session open(Client client, String grantedRoom) {
        return new Session(client, limiter.newBucket(), grantedRoom);
    }

    /** Handles one text message; {@code receivedNanos} (System.nanoTime) starts the relay-time clock. */
    void handleText(Session s, String text, long receivedNanos) {
        if (!allowMessage(s)) {
            return;
        }
        MessageScan msg;
        try {
            msg = MessageScan.of(text);
        } catch (JsonProcessingException e) {
            sendError(s, ERR_BAD_JSON, "malformed json: " + Json.describe(e));
            return;
        } catch (MessageScan.NotAnObject e) {
            sendError(s, ERR_BAD_JSON, e.getMessage());
            return;
        }
        String type = msg.type();
        if (type == null || type.isEmpty()) {
            sendError(s, ERR_MISSING_TYPE, "message needs a non-empty string field \"type\"");
            return;
        }
        switch (type) {
            case SignalMessage.JOIN -> join(s, msg);
            case SignalMessage.LEAVE -> leave(s);
            default -> {
                if (RESERVED_TYPES.contains(type)) {
                    sendError(s, ERR_RESERVED_TYPE, "clients may not send \"" + abbreviate(type) + "\"");
                } else {
                    relay(s, msg, text, receivedNanos);
                }
            }
        }
    }

    /** A binary frame: counted against the rate, then refused. */
    void handleBinary(Session s) {
        if (allowMessage(s)) {
            sendError(s, ERR_BINARY, "binary messages are not supported; send json text");
        }
    }

    /** Handling a message failed unexpectedly: tell the client, keep the connection. */
    void internalError(Session s) {
        sendError(s, ERR_INTERNAL, "server could not handle the message");
    }

    /** The client's connection closed: leave its room; a join still under way undoes itself. */
    void closed(Session s) {
        synchronized (s) {
            s.gone = true;
        }
        leave(s);
    }

    /** Forgets every room count (the server is closing). */
    void clear() {
        roomsPerIp.clear();
    }

    private void join(Session s, MessageScan msg) {
        String room = id(msg.room());
        String userId = id(msg.userId());
        if (room == null || userId == null) {
            sendError(s, ERR_BAD_JOIN, "join needs non-empty string fields \"room\" and \"userId\" of at most "
                    + MAX_ID_LENGTH + " characters");
            return;
        }
        if (s.grantedRoom != null && !s.grantedRoom.equals(room)) {
            sendError(s, ERR_ROOM_NOT_ALLOWED, "this connection's join token is for another room");
            return;
        }
        String current = s.room();
        if (current != null) {
            sendError(s, ERR_ALREADY_JOINED, "already joined room \"" + abbreviate(current) + "\"; send leave first");
            return;
        }
        if (!roomsPerIp.enter(s.client.ip(), room)) {
            LOG.info(() -> "signaling: refused a join from " + hostOf(s) + ": its address is in "
                    + roomsPerIp.limit() + " rooms already");
            sendError(s, ERR_TOO_MANY_ROOMS, "connections from your address are in " + roomsPerIp.limit()
                    + " rooms already; leave one first");
            return;
        }
        Rooms.JoinOutcome outcome = rooms.join(room, userId, s.client, turnExtras(s));
        if (outcome != Rooms.JoinOutcome.JOINED) {
            roomsPerIp.leave(s.client.ip(), room);
        }
        switch (outcome) {
            case ROOM_FULL -> {
                sendError(s, ERR_ROOM_FULL, "room \"" + abbreviate(room) + "\" is full ("
                        + opts.roomCapacity() + " members)");
                return;
            }
            case USER_ID_TAKEN -> {
                sendError(s, ERR_USER_ID_TAKEN, "user id \"" + abbreviate(userId)
                        + "\" is already in room \"" + abbreviate(room) + "\"");
                return;
            }
            case JOINED -> {
            }
        }
        boolean closedMeanwhile;
        synchronized (s) {
            closedMeanwhile = s.gone;
            if (!closedMeanwhile) {
                s.room = room;
                s.userId = userId;
                s.everJoined = true;
            }
        }
        if (closedMeanwhile) {
            rooms.leave(room, userId, s.client);
            roomsPerIp.leave(s.client.ip(), room);
            return;
        }
        LOG.info(() -> "signaling: " + forLog(userId) + " joined room " + forLog(room) + " from " + hostOf(s));
    }

    /** With TURN configured: fresh credentials for the {@code joined} message, unless the address had many. */
    private ObjectNode turnExtras(Session s) {
        if (opts.turn() == null) {
            return null;
        }
        if (!turnIssuance.tryIssue(s.client.ip(), System.nanoTime())) {
            metrics.rejected(ServerMetrics.TURN_LIMITED);
            LOG.info(() -> "signaling: no TURN credentials for " + hostOf(s) + ": more than "
                    + TurnIssuance.BURST + " in a row from that address");
            return null;
        }
        ObjectNode extras = Json.object();
        // Labelled by the server (the client's address), not with a name the client chose.
        extras.set("iceServers", opts.turn().iceServersJson(turnLabel(s), Instant.now()));
        return extras;
    }

    /** The connection's address in a TURN username: {@code 192.0.2.7}, {@code 2001-db8--1}. */
    private static String turnLabel(Session s) {
        var ip = s.client.ip();
        return ip == null ? "unknown" : ip.getHostAddress().replace(':', '-').replaceAll("%.*", "");
    }

    /** Removes the client from its room, telling the others; a no-op when not joined. */
    private void leave(Session s) {
        String room;
        String userId;
        synchronized (s) {
            room = s.room;
            userId = s.userId;
            if (room == null) {
                return;
            }
            s.room = null;
            s.userId = null;
        }
        rooms.leave(room, userId, s.client);
        roomsPerIp.leave(s.client.ip(), room);
        LOG.info(() -> "signaling: " + forLog(userId) + " left room " + forLog(room));
    }

    private void relay(Session s, MessageScan msg, String text, long receivedNanos) {
        String type = msg.type();
        if (msg.badTarget()) {
            sendError(s, ERR_BAD_TARGET, "\"target\" must be a user id string");
            return;
        }
        String target = msg.target();
        String room;
        String sender;
        synchronized (s) {
            room = s.room;
            sender = s.userId;
        }
        if (room == null) {
            sendError(s, ERR_NOT_JOINED, "send join before \"" + abbreviate(type) + "\"");
            return;
        }
        int handed = rooms.relay(room, sender, s.client, target, withSender(msg.hasSender(), text, sender));
        if (handed == Rooms.UNKNOWN_TARGET) {
            sendError(s, ERR_UNKNOWN_TARGET, "no user \"" + abbreviate(target) + "\" in room \""
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

    /**
     * The message as relayed: the received text with {@code "sender"} added before its closing brace, so the
     * relay path does not serialise the tree again (the text parsed strictly as one object, so its last
     * non-blank character is that brace). A message that already names a sender has it replaced instead.
     */
    static String withSender(boolean hasSender, String text, String sender) {
        int close = text.lastIndexOf('}');
        if (hasSender || close < 0) {
            ObjectNode msg;
            try {
                msg = (ObjectNode) Json.read(text);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("scanned json did not parse", e);
            }
            msg.put("sender", sender);
            return Json.write(msg);
        }
        int last = close - 1;
        while (last >= 0 && Character.isWhitespace(text.charAt(last))) {
            last--;
        }
        char[] quoted = JsonStringEncoder.getInstance().quoteAsString(sender);
        StringBuilder b = new StringBuilder(close + quoted.length + 14);
        b.append(text, 0, close).append(last >= 0 && text.charAt(last) == '{' ? "" : ",");
        return b.append("\"sender\":\"").append(quoted).append("\"}").toString();
    }

    /** Token bucket check; answers the first of a run of drops and closes sustained abusers. */
    private boolean allowMessage(Session s) {
        RateLimiter.Verdict v = s.bucket.take();
        if (v == RateLimiter.Verdict.PASS) {
            return true;
        }
        metrics.rejected(ERR_RATE_LIMITED);
        if (v == RateLimiter.Verdict.DROP_AND_CLOSE) {
            metrics.rejected(ServerMetrics.RATE_LIMIT_EXCEEDED);
            LOG.info(() -> "signaling: closing connection from " + hostOf(s) + ": " + MAX_DROPPED_MESSAGES
                    + " messages over the rate limit");
            s.client.requestClose(SignalingProtocol.CLOSE_TOO_MANY, "rate limit exceeded");
        } else if (v == RateLimiter.Verdict.DROP_AND_ANSWER) {
            sendError(s, ERR_RATE_LIMITED, "too many messages: at most " + formatRate(limiter.rate())
                    + " per second (burst " + limiter.burst() + "); message dropped");
        }
        return false;
    }

    private void sendError(Session s, String code, String message) {
        if (!code.equals(ERR_RATE_LIMITED)) {
            metrics.rejected(code); // rate-limited: counted per dropped message in allowMessage
        }
        LOG.fine(() -> "signaling: error " + code + " to " + hostOf(s) + ": " + message);
        ObjectNode err = Json.object();
        err.put("type", SignalMessage.ERROR);
        err.put("code", code);
        err.put("message", message);
        s.client.deliver(Json.write(err));
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }

    /** A room name or user id as given, or null when missing, empty or too long. */
    private static String id(String s) {
        return s == null || s.isEmpty() || s.length() > MAX_ID_LENGTH ? null : s;
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** Printable, bounded and single-line, for log lines about client-chosen names. */
    static String forLog(String s) {
        String a = abbreviate(s);
        StringBuilder b = new StringBuilder(a.length() + 2).append('"');
        a.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.append('"').toString();
    }

    private static String hostOf(Session s) {
        return Admission.hostOf(s.client.ip());
    }
}
