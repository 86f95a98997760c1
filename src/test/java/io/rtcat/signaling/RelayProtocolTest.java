package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The relay protocol with recording clients and a fake clock: no sockets, no waiting. */
class RelayProtocolTest {

    private static final InetAddress HOST_A = address(1);
    private static final InetAddress HOST_B = address(2);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ServerMetrics metrics = new ServerMetrics();

    private RelayProtocol protocol(ServerOptions opts) {
        return new RelayProtocol(opts, new InMemoryRooms(opts.roomCapacity()), metrics,
                new RateLimiter(opts.messagesPerSecond(), opts.messageBurst(), nanos::get));
    }

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A client of {@code p}, opened (admitted) from {@code ip}. */
    private static final class Member {
        final RecordingClient client;
        final RelayProtocol.Session session;
        final RelayProtocol p;

        Member(RelayProtocol p, String name, InetAddress ip, String grantedRoom) {
            this.p = p;
            this.client = new RecordingClient(name, ip);
            this.session = p.open(client, grantedRoom);
        }

        void send(String text) {
            p.handleText(session, text, System.nanoTime());
        }

        void join(String room, String userId) {
            send(SignalMessage.join(room, userId).toJson());
        }
    }

    private static Member member(RelayProtocol p, String name) {
        return new Member(p, name, HOST_A, null);
    }

    private static Member joined(RelayProtocol p, String room, String user) {
        Member m = member(p, user);
        m.join(room, user);
        JsonNode ack = m.client.next("joined");
        assertEquals(room, ack.path("room").asText());
        assertEquals(user, ack.path("userId").asText());
        return m;
    }

    @Test
    void joinedCarriesTheOthersAndTheProtocolVersion() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = joined(p, "r", "a");
        Member b = member(p, "b");
        b.send("{\"type\":\"join\",\"room\":\"r\",\"userId\":\"b\"}"); // no "v": a version 1 client
        JsonNode ack = b.client.next("joined");
        assertEquals("[\"a\"]", ack.path("users").toString());
        assertEquals(SignalingProtocol.VERSION, ack.path("v").asInt());
        assertEquals("b", a.client.next("user-joined").path("userId").asText());
    }

    @Test
    void relayedTextIsTheReceivedTextWithTheSenderAdded() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = joined(p, "r", "a");
        Member b = joined(p, "r", "b\"q");
        a.client.next("user-joined");
        a.send("{\"type\":\"offer\", \"sdp\":\"v=0\\r\\n\",\"n\":1.50}  ");
        assertEquals("{\"type\":\"offer\", \"sdp\":\"v=0\\r\\n\",\"n\":1.50,\"sender\":\"a\"}", b.client.nextText());
        // A sender the client made up is replaced, not repeated.
        b.send("{\"type\":\"answer\",\"sender\":\"mallory\"}");
        JsonNode got = a.client.next("answer");
        assertEquals("b\"q", got.path("sender").asText());
        assertEquals(2, metrics.messagesRelayed());
    }

    @Test
    void targetedMessageOnlyReachesTarget() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = joined(p, "r", "a");
        Member b = joined(p, "r", "b");
        Member c = joined(p, "r", "c");
        a.client.next("user-joined");
        a.client.next("user-joined");
        b.client.next("user-joined");
        a.send("{\"type\":\"ice-candidate\",\"candidate\":\"x\",\"target\":\"c\"}");
        JsonNode got = c.client.next("ice-candidate");
        assertEquals("a", got.path("sender").asText());
        assertEquals("c", got.path("target").asText());
        b.client.assertNothingMore();
        a.client.assertNothingMore();
    }

    @Test
    void roomsAreIsolatedAndTargetsResolveInTheSendersRoom() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = joined(p, "one", "a");
        Member b = joined(p, "one", "b");
        Member x = joined(p, "two", "a"); // same user id, other room: fine
        Member y = joined(p, "two", "y");
        a.client.next("user-joined");
        assertEquals("y", x.client.next("user-joined").path("userId").asText());
        a.send("{\"type\":\"offer\"}");
        assertEquals("a", b.client.next("offer").path("sender").asText());
        x.client.assertNothingMore();
        y.send("{\"type\":\"marker\",\"target\":\"b\"}");
        y.client.nextError(SignalingProtocol.ERR_UNKNOWN_TARGET);
        b.client.assertNothingMore();
    }

    @Test
    void leaveTellsTheOthersAndAllowsAJoinAgain() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = joined(p, "r", "a");
        Member b = joined(p, "r", "b");
        a.client.next("user-joined");
        b.send("{\"type\":\"leave\"}");
        assertEquals("b", a.client.next("user-left").path("userId").asText());
        b.send("{\"type\":\"marker\"}");
        b.client.nextError(SignalingProtocol.ERR_NOT_JOINED);
        b.join("r", "b");
        b.client.next("joined");
        a.client.next("user-joined");
        p.closed(b.session);
        assertEquals("b", a.client.next("user-left").path("userId").asText());
        p.closed(b.session); // twice: nothing more
        a.client.assertNothingMore();
    }

    @Test
    void malformedMessagesGetErrorsAndTheClientKeepsWorking() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = joined(p, "r", "a");
        Member b = member(p, "b");
        for (String bad : List.of("{not json", "[1,2,3]", "{\"type\":\"x\",\"type\":\"y\"}", "{} {}", "42")) {
            b.send(bad);
            b.client.nextError(SignalingProtocol.ERR_BAD_JSON);
        }
        b.send("{\"room\":\"r\"}");
        b.client.nextError(SignalingProtocol.ERR_MISSING_TYPE);
        b.send("{\"type\":\"\"}");
        b.client.nextError(SignalingProtocol.ERR_MISSING_TYPE);
        b.send("{\"type\":\"join\",\"room\":\"r\"}");
        b.client.nextError(SignalingProtocol.ERR_BAD_JOIN);
        b.send("{\"type\":\"join\",\"room\":\"r\",\"userId\":\"" + "u".repeat(SignalingProtocol.MAX_ID_LENGTH + 1) + "\"}");
        b.client.nextError(SignalingProtocol.ERR_BAD_JOIN);
        b.join("r", "b");
        b.client.next("joined");
        a.client.next("user-joined");
        b.send("{\"type\":\"offer\",\"target\":42}");
        b.client.nextError(SignalingProtocol.ERR_BAD_TARGET);
        for (String reserved : List.of("user-left", "user-joined", "joined", "error")) {
            b.send("{\"type\":\"" + reserved + "\",\"userId\":\"a\"}");
            b.client.nextError(SignalingProtocol.ERR_RESERVED_TYPE);
        }
        p.handleBinary(b.session);
        b.client.nextError(SignalingProtocol.ERR_BINARY);
        a.client.assertNothingMore();
        b.send("{\"type\":\"answer\",\"target\":\"a\"}");
        assertEquals("b", a.client.next("answer").path("sender").asText());
        assertEquals(5, metrics.rejections(SignalingProtocol.ERR_BAD_JSON));
    }

    @Test
    void messageBeforeJoinAndSecondJoinAreRejected() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = member(p, "a");
        a.send("{\"type\":\"offer\"}");
        a.client.nextError(SignalingProtocol.ERR_NOT_JOINED);
        a.join("r", "a");
        a.client.next("joined");
        a.join("r2", "a");
        a.client.nextError(SignalingProtocol.ERR_ALREADY_JOINED);
    }

    @Test
    void duplicateUserIdAndFullRoomAreRejected() {
        RelayProtocol p = protocol(ServerOptions.defaults().withRoomCapacity(2));
        Member a = joined(p, "r", "a");
        Member dup = member(p, "dup");
        dup.join("r", "a");
        dup.client.nextError(SignalingProtocol.ERR_USER_ID_TAKEN);
        Member b = joined(p, "r", "b");
        a.client.next("user-joined");
        Member c = member(p, "c");
        c.join("r", "c");
        assertTrue(c.client.nextError(SignalingProtocol.ERR_ROOM_FULL).path("message").asText().contains("full"));
        b.send("{\"type\":\"leave\"}");
        a.client.next("user-left");
        c.join("r", "c");
        c.client.next("joined");
        assertEquals("c", a.client.next("user-joined").path("userId").asText());
    }

    @Test
    void defaultRoomCapacityIsEight() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        for (int i = 0; i < 8; i++) {
            joined(p, "big", "u" + i);
        }
        Member ninth = member(p, "ninth");
        ninth.join("big", "u8");
        ninth.client.nextError(SignalingProtocol.ERR_ROOM_FULL);
    }

    @Test
    void oneAddressCannotSprayRoomsButOtherAddressesCan() {
        RelayProtocol p = protocol(ServerOptions.defaults().withMaxRoomsPerIp(2));
        Member one = joined(p, "r1", "a");
        joined(p, "r2", "a");
        joined(p, "r2", "b"); // a room already held counts once
        Member third = member(p, "third");
        third.join("r3", "a");
        third.client.nextError(SignalingProtocol.ERR_TOO_MANY_ROOMS);
        Member other = new Member(p, "other", HOST_B, null);
        other.join("r3", "a");
        other.client.next("joined");
        one.send("{\"type\":\"leave\"}");
        third.join("r3", "b");
        third.client.next("joined");
    }

    @Test
    void aJoinTokenAdmitsToItsRoomOnly() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member m = new Member(p, "m", HOST_A, "granted");
        m.join("other", "u");
        m.client.nextError(SignalingProtocol.ERR_ROOM_NOT_ALLOWED);
        m.join("granted", "u");
        m.client.next("joined");
    }

    @Test
    void aClosedClientsJoinStillUnderWayUndoesItself() {
        RelayProtocol p = protocol(ServerOptions.defaults());
        Member a = joined(p, "r", "a");
        Member b = member(p, "b");
        p.closed(b.session); // closed before its join is handled
        b.join("r", "b");
        a.client.next("user-joined");
        a.client.next("user-left");
        assertFalse(b.session.everJoined);
        Member again = joined(p, "r", "b"); // the id is free again
        assertEquals("b", a.client.next("user-joined").path("userId").asText());
        again.client.assertNothingMore();
    }

    @Test
    void rateLimitAnswersTheFirstDropOfARunAndClosesSustainedAbuse() {
        int burst = 4;
        RelayProtocol p = protocol(ServerOptions.defaults().withRateLimit(10, burst));
        Member a = joined(p, "r", "a");
        Member b = joined(p, "r", "b");
        a.client.next("user-joined");
        for (int i = 1; i < burst; i++) { // the join took one token
            b.send("{\"type\":\"m\"}");
            a.client.next("m");
        }
        b.send("{\"type\":\"m\"}");
        b.client.nextError(SignalingProtocol.ERR_RATE_LIMITED);
        b.send("{\"type\":\"m\"}");
        b.client.assertNothingMore(); // one answer per run of drops
        a.client.assertNothingMore();
        nanos.addAndGet(100_000_000L); // 100 ms: one token at 10/s
        b.send("{\"type\":\"m\"}");
        a.client.next("m");
        for (int i = 0; i < SignalingProtocol.MAX_DROPPED_MESSAGES - 3; i++) { // drops count over all runs
            b.send("{\"type\":\"m\"}");
        }
        b.client.nextError(SignalingProtocol.ERR_RATE_LIMITED); // the new run's answer
        assertEquals(List.of(), b.client.closes);
        b.send("{\"type\":\"m\"}"); // drop number 1000
        assertEquals(List.of(SignalingProtocol.CLOSE_TOO_MANY + " rate limit exceeded"), b.client.closes);
        b.client.assertNothingMore();
        a.client.assertNothingMore();
        assertEquals(SignalingProtocol.MAX_DROPPED_MESSAGES, metrics.rejections(SignalingProtocol.ERR_RATE_LIMITED));
    }
}
