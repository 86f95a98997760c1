package io.rtcat.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Where room membership lives and how a message reaches the members of a room. {@link SignalingServer}
 * owns the sockets and the protocol checks; a {@code Rooms} decides joins (capacity, unique user ids),
 * sends the {@code joined}/{@code user-joined}/{@code user-left} notes and hands relayed text to members.
 *
 * <p>{@link InMemoryRooms} keeps everything in this process (one server). {@link RedisRooms} shares
 * membership and relays through Redis, so several servers behave as one.
 *
 * <p>Contract, the same for both: a join's {@code user-joined} note reaches the other members before the
 * joiner's {@code joined} acknowledgement is sent, and before the joiner can be sent anything else; notes
 * and relayed messages from one sender reach each member in the order they were sent.
 */
interface Rooms extends AutoCloseable {

    /** One connected client, as seen by a room. */
    interface Member {
        /** Queues text for the client; must not block or throw. */
        void deliver(String text);
    }

    enum JoinOutcome { JOINED, ROOM_FULL, USER_ID_TAKEN }

    /** {@link #relay} result when {@code target} names nobody in the room. */
    int UNKNOWN_TARGET = -1;

    /**
     * Adds {@code member} as {@code userId}: on success tells the others ({@code user-joined}), then sends the
     * member {@code joined} with the others' ids in join order.
     *
     * @param ackExtras more fields for the {@code joined} message (e.g. {@code iceServers}), or null
     */
    JoinOutcome join(String room, String userId, Member member, ObjectNode ackExtras);

    /** {@link #join(String, String, Member, ObjectNode)} without extra fields. */
    default JoinOutcome join(String room, String userId, Member member) {
        return join(room, userId, member, null);
    }

    /** Removes the member (if it still holds {@code userId} in {@code room}) and tells the others. */
    void leave(String room, String userId, Member member);

    /**
     * Hands {@code text} to {@code target}, or with a null target to every member but the sender.
     *
     * @return how many members it was handed to, or {@link #UNKNOWN_TARGET}
     */
    int relay(String room, String sender, Member from, String target, String text);

    /** Rooms with at least one member connected to this server. */
    int roomCount();

    /** Whether the shared backend is reachable: null when there is none (in-memory mode). */
    Boolean sharedBackendUp();

    @Override
    void close();

    /** The server-originated notes, built in one place for both implementations. */
    final class Notes {
        private Notes() {
        }

        static String joined(String room, String userId, List<String> others, ObjectNode extras) {
            var ack = Json.object();
            ack.put("type", SignalMessage.JOINED);
            ack.put("room", room);
            ack.put("userId", userId);
            var users = ack.putArray("users");
            others.forEach(users::add);
            ack.put("v", SignalingProtocol.VERSION);
            if (extras != null) {
                ack.setAll(extras);
            }
            return Json.write(ack);
        }

        static String userJoined(String userId) {
            return note(SignalMessage.USER_JOINED, userId);
        }

        static String userLeft(String userId) {
            return note(SignalMessage.USER_LEFT, userId);
        }

        private static String note(String type, String userId) {
            var n = Json.object();
            n.put("type", type);
            n.put("userId", userId);
            return Json.write(n);
        }
    }
}
