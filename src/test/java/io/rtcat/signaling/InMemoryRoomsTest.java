package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Membership and relay rules of the single-server rooms, with recording members (no sockets). */
class InMemoryRoomsTest {

    private static final class Recorder implements Rooms.Member {
        final List<String> got = new ArrayList<>();

        @Override
        public void deliver(String text) {
            got.add(text);
        }
    }

    private final InMemoryRooms rooms = new InMemoryRooms(3);

    @Test
    void joinTellsTheOthersFirstAndListsThemInJoinOrder() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder c = new Recorder();
        rooms.join("r", "a", a);
        rooms.join("r", "b", b);
        rooms.join("r", "c", c);
        assertEquals(List.of("{\"type\":\"joined\",\"room\":\"r\",\"userId\":\"a\",\"users\":[],\"v\":1}",
                "{\"type\":\"user-joined\",\"userId\":\"b\"}", "{\"type\":\"user-joined\",\"userId\":\"c\"}"), a.got);
        assertEquals("{\"type\":\"joined\",\"room\":\"r\",\"userId\":\"c\",\"users\":[\"a\",\"b\"],\"v\":1}", c.got.get(0));
    }

    @Test
    void capacityAndUserIdsAreEnforcedAndFreedByLeave() {
        Recorder a = new Recorder();
        rooms.join("r", "a", a);
        assertEquals(Rooms.JoinOutcome.USER_ID_TAKEN, rooms.join("r", "a", new Recorder()));
        rooms.join("r", "b", new Recorder());
        rooms.join("r", "c", new Recorder());
        assertEquals(Rooms.JoinOutcome.ROOM_FULL, rooms.join("r", "d", new Recorder()));
        rooms.leave("r", "a", a);
        assertEquals(Rooms.JoinOutcome.JOINED, rooms.join("r", "a", new Recorder()));
    }

    @Test
    void leaveByAnotherMemberWithTheSameIdIsIgnored() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        rooms.join("r", "a", a);
        rooms.join("r", "b", b);
        rooms.leave("r", "a", new Recorder()); // a stale connection that once had this id
        assertEquals(1, rooms.relay("r", "b", b, "a", "x"));
        rooms.leave("r", "a", a);
        assertEquals("{\"type\":\"user-left\",\"userId\":\"a\"}", b.got.get(b.got.size() - 1));
        rooms.leave("r", "b", b);
        assertEquals(0, rooms.roomCount());
    }

    @Test
    void relayGoesToTheTargetOrToAllButTheSender() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder c = new Recorder();
        rooms.join("r", "a", a);
        rooms.join("r", "b", b);
        rooms.join("r", "c", c);
        a.got.clear();
        b.got.clear();
        c.got.clear();
        assertEquals(2, rooms.relay("r", "a", a, null, "all"));
        assertEquals(1, rooms.relay("r", "a", a, "c", "one"));
        assertEquals(Rooms.UNKNOWN_TARGET, rooms.relay("r", "a", a, "zed", "none"));
        assertEquals(List.of(), a.got);
        assertEquals(List.of("all"), b.got);
        assertEquals(List.of("all", "one"), c.got);
        assertEquals(Rooms.UNKNOWN_TARGET, rooms.relay("gone", "a", a, "b", "x"));
        assertNull(rooms.sharedBackendUp());
    }
}
