package io.rtcat.signaling;

/**
 * The signaling protocol's numbers and words in one place: the {@code error} codes a client may be sent, the
 * WebSocket close codes the server uses, and the limits they name. The server, its metrics and the help text
 * render from these.
 *
 * <pre>
 * client                                   server                          other members
 *   join {room,userId,v}  ------------------&gt;
 *                                             ------ user-joined {userId} ----&gt;
 *   &lt;----------- joined {room,userId,users,v}
 *   offer/answer/... {target?}  ------------&gt;  ---- same + sender ----------&gt;
 *   &lt;---------------------- error {code,message}  (the connection stays open)
 *   leave / close  --------------------------&gt;  ------ user-left {userId} ----&gt;
 * </pre>
 */
public final class SignalingProtocol {

    /** Protocol version sent in {@code join} and {@code joined} as {@code "v"}; absent means 1. */
    public static final int VERSION = 1;

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
    /** Close code (RFC 6455) the library uses for a message over {@link ServerOptions#maxMessageBytes()}. */
    public static final int CLOSE_MESSAGE_TOO_BIG = 1009;

    /** Frames that may wait for one connection's socket before it counts as a slow reader. */
    public static final int MAX_QUEUED_FRAMES = 1024;
    /** Floor of {@link #maxQueuedBytes(ServerOptions)}. */
    public static final int MIN_QUEUED_BYTES = 256 * 1024;
    /** Dropped (rate-limited) messages after which a connection is closed with {@link #CLOSE_TOO_MANY}. */
    public static final int MAX_DROPPED_MESSAGES = 1000;
    /** Longest a peer may take to answer our close frame before the socket is dropped. */
    public static final long CLOSE_GRACE_MILLIS = 5_000;
    /** Longest accepted room name or user id, in characters. */
    public static final int MAX_ID_LENGTH = 256;

    private SignalingProtocol() {
    }

    /**
     * Most bytes that may wait in one connection's out-queue: four of the largest messages, at least
     * {@value #MIN_QUEUED_BYTES}. The library's queue is unbounded, so without this a member that stops
     * reading makes the server keep everything the room sends it (a full heap in seconds).
     */
    public static long maxQueuedBytes(ServerOptions o) {
        return Math.max(MIN_QUEUED_BYTES, 4L * o.maxMessageBytes());
    }
}
