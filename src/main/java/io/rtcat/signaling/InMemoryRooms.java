package io.rtcat.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rooms of one server process: members by user id in join order, all under one lock. Notes and relayed
 * messages are queued on the sockets while the lock is held, so every member sees them in one order.
 */
final class InMemoryRooms implements Rooms {

    private final int capacity;
    private final Object lock = new Object();
    /** room name to members by user id, in join order; guarded by {@link #lock}. */
    private final Map<String, Map<String, Member>> rooms = new HashMap<>();

    InMemoryRooms(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public JoinOutcome join(String room, String userId, Member member, ObjectNode ackExtras) {
        synchronized (lock) {
            Map<String, Member> members = rooms.get(room);
            if (members != null && members.size() >= capacity) {
                return JoinOutcome.ROOM_FULL;
            }
            if (members != null && members.containsKey(userId)) {
                return JoinOutcome.USER_ID_TAKEN;
            }
            if (members == null) {
                members = new LinkedHashMap<>();
                rooms.put(room, members);
            }
            List<String> others = new ArrayList<>(members.keySet());
            String note = Notes.userJoined(userId);
            for (Member other : members.values()) {
                other.deliver(note);
            }
            members.put(userId, member);
            member.deliver(Notes.joined(room, userId, others, ackExtras));
            return JoinOutcome.JOINED;
        }
    }

    @Override
    public void leave(String room, String userId, Member member) {
        synchronized (lock) {
            Map<String, Member> members = rooms.get(room);
            if (members == null || !members.remove(userId, member)) {
                return;
            }
            if (members.isEmpty()) {
                rooms.remove(room);
                return;
            }
            String note = Notes.userLeft(userId);
            for (Member other : members.values()) {
                other.deliver(note);
            }
        }
    }

    @Override
    public int relay(String room, String sender, Member from, String target, String text) {
        synchronized (lock) {
            Map<String, Member> members = rooms.get(room);
            if (members == null) {
                return target == null ? 0 : UNKNOWN_TARGET;
            }
            if (target != null) {
                Member dst = members.get(target);
                if (dst == null) {
                    return UNKNOWN_TARGET;
                }
                dst.deliver(text);
                return 1;
            }
            int n = 0;
            for (Member other : members.values()) {
                if (other != from) {
                    other.deliver(text);
                    n++;
                }
            }
            return n;
        }
    }

    @Override
    public int roomCount() {
        synchronized (lock) {
            return rooms.size();
        }
    }

    @Override
    public Boolean sharedBackendUp() {
        return null;
    }

    @Override
    public void close() {
        synchronized (lock) {
            rooms.clear();
        }
    }
}
