package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.testing.RedisServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two {@link RedisRooms} (as two servers would hold them) on one real redis-server: membership, capacity
 * and relaying across servers, a crashed server's members, and Redis going away and coming back empty.
 * The members are recording fakes; the last test runs two real {@link SignalingServer}s with real clients.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisRoomsIT {

    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(15); // generous: a shared CI machine can stall for seconds

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        redis.close();
    }

    /** A member that records what it is handed. */
    private static final class Recorder implements Rooms.Member {
        final String name;
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void deliver(String text) {
            got.add(text);
        }

        JsonNode next() throws Exception {
            String t = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(t != null, name + " got nothing within " + WAIT);
            return Json.read(t);
        }

        JsonNode next(String type) throws Exception {
            JsonNode m = next();
            assertEquals(type, m.path("type").asText(), () -> name + " got " + m);
            return m;
        }

        void expectNothingQueued() {
            assertNull(got.peek(), () -> name + " has " + got);
        }
    }

    private RedisRooms rooms(int capacity) throws RtcatException {
        RedisRooms r = RedisRooms.connect(new RedisSettings(URI.create(redis.url()), TTL), capacity);
        toClose.add(r);
        return r;
    }

    private static String msg(String type, String sender) {
        return "{\"type\":\"" + type + "\",\"sender\":\"" + sender + "\"}";
    }

    private static void await(String what, BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + within);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void membersOnTwoServersMeetAndRelayBothWays() throws Exception {
        RedisRooms one = rooms(8);
        RedisRooms two = rooms(8);
        Recorder alice = new Recorder("alice");
        Recorder bob = new Recorder("bob");
        Recorder carol = new Recorder("carol");

        assertEquals(Rooms.JoinOutcome.JOINED, one.join("r", "alice", alice));
        assertEquals(0, alice.next("joined").path("users").size());
        assertEquals(Rooms.JoinOutcome.JOINED, two.join("r", "bob", bob));
        assertEquals("[\"alice\"]", bob.next("joined").path("users").toString());
        assertEquals("bob", alice.next("user-joined").path("userId").asText());
        assertEquals(Rooms.JoinOutcome.JOINED, one.join("r", "carol", carol));
        assertEquals("[\"alice\",\"bob\"]", carol.next("joined").path("users").toString(), "join order");
        alice.next("user-joined");
        bob.next("user-joined");

        assertEquals(1, two.relay("r", "bob", bob, "alice", msg("offer", "bob")));
        assertEquals("bob", alice.next("offer").path("sender").asText());
        assertEquals(2, two.relay("r", "bob", bob, null, msg("candidate", "bob")));
        alice.next("candidate");
        carol.next("candidate");
        assertEquals(2, one.relay("r", "alice", alice, null, msg("answer", "alice")));
        assertEquals("alice", bob.next("answer").path("sender").asText());
        assertEquals("alice", carol.next("answer").path("sender").asText());
        assertEquals(Rooms.UNKNOWN_TARGET, two.relay("r", "bob", bob, "nobody", msg("offer", "bob")));

        two.leave("r", "bob", bob);
        assertEquals("bob", alice.next("user-left").path("userId").asText());
        assertEquals("bob", carol.next("user-left").path("userId").asText());
        assertEquals(Rooms.UNKNOWN_TARGET, one.relay("r", "alice", alice, "bob", msg("offer", "alice")));
        assertEquals(1, one.roomCount());
        assertEquals(0, two.roomCount());
        alice.expectNothingQueued();
        bob.expectNothingQueued();
    }

    @Test
    void capacityAndUserIdsHoldAcrossServers() throws Exception {
        RedisRooms one = rooms(2);
        RedisRooms two = rooms(2);
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        assertEquals(Rooms.JoinOutcome.JOINED, one.join("small", "a", a));
        assertEquals(Rooms.JoinOutcome.USER_ID_TAKEN, two.join("small", "a", new Recorder("a2")));
        assertEquals(Rooms.JoinOutcome.JOINED, two.join("small", "b", b));
        assertEquals(Rooms.JoinOutcome.ROOM_FULL, one.join("small", "c", new Recorder("c")));
        assertEquals(Rooms.JoinOutcome.ROOM_FULL, two.join("small", "c", new Recorder("c")));
        // A rejoin after leaving works, on either server.
        one.leave("small", "a", a);
        Recorder again = new Recorder("a-again");
        assertEquals(Rooms.JoinOutcome.JOINED, two.join("small", "a", again));
        assertEquals("[\"b\"]", again.next("joined").path("users").toString());
    }

    @Test
    void aCrashedServersMembersVanishAndTheRoomIsTold() throws Exception {
        RedisRooms one = rooms(2);
        RedisRooms two = rooms(2);
        Recorder stays = new Recorder("stays");
        assertEquals(Rooms.JoinOutcome.JOINED, one.join("r", "stays", stays));
        assertEquals(Rooms.JoinOutcome.JOINED, two.join("r", "doomed", new Recorder("doomed")));
        stays.next("joined");
        stays.next("user-joined");

        two.crash(); // no clean-up: its entry stays in Redis until its alive key expires
        long crashed = System.nanoTime();
        JsonNode left = stays.next("user-left");
        // With a 2 s TTL the note comes after expiry plus one heartbeat (0.4 s).
        assertEquals("doomed", left.path("userId").asText());
        assertTrue(System.nanoTime() - crashed >= TimeUnit.MILLISECONDS.toNanos(1000),
                "user-left came before the crashed server's TTL could expire");
        // Its slot and id are free again.
        RedisRooms three = rooms(2);
        assertEquals(Rooms.JoinOutcome.JOINED, three.join("r", "doomed", new Recorder("doomed-again")));
    }

    @Test
    void losingRedisKeepsLocalMembersServedAndANewRedisIsRefilled() throws Exception {
        RedisRooms one = rooms(8);
        RedisRooms two = rooms(8);
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        Recorder remote = new Recorder("remote");
        one.join("r", "a", a);
        one.join("r", "b", b);
        two.join("r", "remote", remote);
        a.next("joined");
        b.next("joined");
        a.next("user-joined");
        a.next("user-joined");
        b.next("user-joined");
        remote.next("joined");
        assertEquals(Boolean.TRUE, one.sharedBackendUp());

        redis.kill();
        // Local relaying goes on while Redis is away.
        assertEquals(1, one.relay("r", "a", a, "b", msg("offer", "a")));
        b.next("offer");
        assertEquals(1, one.relay("r", "a", a, null, msg("candidate", "a")));
        b.next("candidate");
        await("server one notices the loss", () -> Boolean.FALSE.equals(one.sharedBackendUp()), WAIT);
        // A new local join works too (local view only).
        Recorder late = new Recorder("late");
        assertEquals(Rooms.JoinOutcome.JOINED, one.join("r", "late", late));
        assertEquals("[\"a\",\"b\"]", late.next("joined").path("users").toString());

        long oneBefore = one.resyncCount();
        long twoBefore = two.resyncCount();
        redis.startAgain(); // empty: no persistence
        // Lettuce reconnects (back-off up to 5 s), then the next heartbeat re-registers each server's members.
        await("server one re-registers", () -> one.resyncCount() > oneBefore, Duration.ofSeconds(15));
        await("server two re-registers", () -> two.resyncCount() > twoBefore, Duration.ofSeconds(15));
        await("server one reports redis up", () -> Boolean.TRUE.equals(one.sharedBackendUp()), WAIT);
        // New joins see everyone, across servers, and relays cross again.
        Recorder fresh = new Recorder("fresh");
        assertEquals(Rooms.JoinOutcome.JOINED, two.join("r", "fresh", fresh));
        List<String> users = new ArrayList<>();
        fresh.next("joined").path("users").forEach(u -> users.add(u.asText()));
        assertEquals(List.of("a", "b", "late", "remote"), users.stream().sorted().toList());
        assertEquals(Rooms.JoinOutcome.USER_ID_TAKEN, two.join("r", "late", new Recorder("late2")));
        assertEquals(1, two.relay("r", "fresh", fresh, "late", msg("offer", "fresh")));
        JsonNode m = late.next();
        for (int i = 0; i < 5 && !m.path("type").asText().equals("offer"); i++) {
            assertEquals("user-joined", m.path("type").asText()); // this join's note comes first
            m = late.next();
        }
        assertEquals("offer", m.path("type").asText());
        assertEquals("fresh", m.path("sender").asText());
    }

    @Test
    void twoSignalingServersRelayForRealClients() throws Exception {
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        RedisSettings shared = new RedisSettings(URI.create(redis.url()), TTL);
        SignalingServer s1 = SignalingServer.start(bind, ServerOptions.defaults().withRoomCapacity(2), shared, WAIT);
        toClose.add(s1);
        SignalingServer s2 = SignalingServer.start(bind, ServerOptions.defaults().withRoomCapacity(2), shared, WAIT);
        toClose.add(s2);
        assertEquals(Boolean.TRUE, s1.redisUp());
        SignalingClient a = SignalingClient.connect(s1.uri(), WAIT);
        toClose.add(a);
        SignalingClient b = SignalingClient.connect(s2.uri(), WAIT);
        toClose.add(b);
        a.join("room", "a");
        assertEquals("joined", a.receive(WAIT).type());
        b.join("room", "b");
        assertEquals("a", b.receive(WAIT).getNode("users").get(0).asText());
        assertEquals("b", a.receive(WAIT).userId());
        b.send(SignalMessage.offer("offer", "v=0\r\n", "a"));
        SignalMessage got = a.receive(WAIT);
        assertEquals("offer", got.type());
        assertEquals("b", got.sender());
        // s2 counts the relay after Redis took the message, which can be after s1 already delivered it to a.
        await("server two counts the relay", () -> s2.metrics().messagesRelayed() == 1, WAIT);
        assertEquals(0, s1.metrics().messagesRelayed());

        SignalingClient c = SignalingClient.connect(s2.uri(), WAIT);
        toClose.add(c);
        c.join("room", "c");
        SignalMessage full = c.receive(WAIT);
        assertEquals(SignalingProtocol.ERR_ROOM_FULL, full.code(), full::toString);
        String metrics = MetricsText.render(s1.connectionCount(), s1.roomCount(), s1.metrics(), s1.redisUp());
        assertTrue(metrics.contains("\nrtcat_signal_redis_up 1\n"), metrics);

        b.close();
        assertEquals("user-left", a.receive(WAIT).type());
        assertFalse(MetricsText.render(0, 0, new ServerMetrics()).contains("redis"));
        assertThrows(RtcatException.class, () -> SignalingServer.start(bind, ServerOptions.defaults(),
                new RedisSettings(URI.create("redis://127.0.0.1:1/0"), TTL), WAIT));
    }
}
