package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionSweeperTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(100 * SECOND);
    private final ServerMetrics metrics = new ServerMetrics();
    private final Set<Fake> live = ConcurrentHashMap.newKeySet();
    private final List<Fake> forgotten = new ArrayList<>();
    private final ConnectionSweeper<Fake> sweeper = new ConnectionSweeper<>(
            ServerOptions.defaults().withIdleTimeoutSeconds(30).withHandshakeTimeoutSeconds(10), metrics, live,
            c -> {
                live.remove(c);
                forgotten.add(c);
            }, nanos::get);

    private final class Fake implements ConnectionSweeper.Connection {
        boolean closed;
        boolean pending;
        boolean awaitingJoin;
        final long created = nanos.get();
        long lastMessage = created;
        long lastPong;
        long pinged;
        long closeRequested;
        final List<String> actions = new ArrayList<>();

        Fake() {
            live.add(this);
        }

        public boolean isClosed() {
            return closed;
        }

        public boolean isOpen() {
            return !closed && !pending;
        }

        public boolean handshakePending() {
            return pending;
        }

        public boolean awaitingJoin() {
            return awaitingJoin;
        }

        public long createdNanos() {
            return created;
        }

        public long lastMessageNanos() {
            return lastMessage;
        }

        public long lastHeardNanos() {
            return Math.max(lastMessage, lastPong);
        }

        public long pingedNanos() {
            return pinged;
        }

        public void ping() {
            pinged = nanos.get();
            actions.add("ping");
        }

        public long closeRequestedNanos() {
            return closeRequested;
        }

        public String host() {
            return "192.0.2.1";
        }

        public void drop(String reason) {
            actions.add("drop " + reason);
            closed = true;
        }

        public void requestClose(int code, String reason) {
            closeRequested = nanos.get();
            actions.add(code + " " + reason);
        }
    }

    @Test
    void eachTimeoutFiresOnceItsTimeHasPassed() {
        Fake slowloris = new Fake();
        slowloris.pending = true;
        Fake neverJoins = new Fake();
        neverJoins.awaitingJoin = true;
        Fake idle = new Fake();
        Fake closed = new Fake();
        closed.closed = true;
        nanos.addAndGet(10 * SECOND);
        sweeper.sweep();
        assertEquals(List.of(closed), forgotten);
        assertTrue(slowloris.actions.isEmpty() && neverJoins.actions.isEmpty(), "not yet: exactly the timeout");
        nanos.addAndGet(1);
        sweeper.sweep();
        assertEquals(List.of("drop handshake timed out"), slowloris.actions);
        assertEquals(List.of(SignalingProtocol.CLOSE_JOIN_TIMEOUT + " join timeout"), neverJoins.actions);
        assertEquals(List.of(), idle.actions);
        nanos.addAndGet(20 * SECOND);
        sweeper.sweep();
        assertEquals(List.of(SignalingProtocol.CLOSE_IDLE + " idle"), idle.actions);
        nanos.addAndGet(SignalingProtocol.CLOSE_GRACE_MILLIS * 1_000_000L + 1);
        sweeper.sweep();
        assertEquals(List.of(SignalingProtocol.CLOSE_IDLE + " idle", "drop close handshake timed out"), idle.actions);
        assertEquals(1, metrics.rejections(ServerMetrics.HANDSHAKE_TIMEOUT));
        assertEquals(1, metrics.rejections(ServerMetrics.JOIN_TIMEOUT));
        assertEquals(1, metrics.rejections(ServerMetrics.IDLE));
        sweeper.sweep();
        assertTrue(forgotten.containsAll(List.of(closed, slowloris, idle)), "dropped sockets are forgotten");
    }

    @Test
    void anActiveClientIsNotIdle() {
        Fake active = new Fake();
        for (int i = 0; i < 10; i++) {
            nanos.addAndGet(20 * SECOND);
            active.lastMessage = nanos.get();
            sweeper.sweep();
        }
        assertEquals(List.of(), active.actions);
    }

    /** Lost-connection detection alone: no idle timeout, 30 s of silence before a ping. */
    private final ConnectionSweeper<Fake> lostOnly = new ConnectionSweeper<>(ServerOptions.defaults()
            .withIdleTimeoutSeconds(0).withConnectionLostTimeoutSeconds(30), metrics, live, c -> { }, nanos::get);

    @Test
    void aSilentConnectionIsPingedOnceAndDroppedWhenItStaysSilent() {
        Fake silent = new Fake();
        nanos.addAndGet(30 * SECOND);
        lostOnly.sweep();
        assertEquals(List.of(), silent.actions, "exactly the timeout: not yet");
        nanos.addAndGet(1);
        lostOnly.sweep();
        assertEquals(List.of("ping"), silent.actions);
        nanos.addAndGet(10 * SECOND);
        lostOnly.sweep();
        assertEquals(List.of("ping"), silent.actions, "one ping per interval");
        nanos.addAndGet(5 * SECOND);
        lostOnly.sweep();
        assertEquals(List.of("ping", "drop connection lost: no pong"), silent.actions, "45 s of silence");
    }

    @Test
    void aPongKeepsAConnectionAndItsNextPingComesASilenceLater() {
        Fake answers = new Fake();
        nanos.addAndGet(31 * SECOND);
        lostOnly.sweep();
        answers.lastPong = nanos.addAndGet(SECOND / 1000);
        nanos.addAndGet(30 * SECOND);
        lostOnly.sweep();
        assertEquals(List.of("ping"), answers.actions, "30 s since the pong: not yet");
        nanos.addAndGet(SECOND);
        lostOnly.sweep();
        assertEquals(List.of("ping", "ping"), answers.actions);
    }

    @Test
    void aConnectionThatTalksIsNeverPinged() {
        Fake talks = new Fake();
        Fake silent = new Fake();
        for (int i = 0; i < 10; i++) {
            nanos.addAndGet(20 * SECOND);
            talks.lastMessage = nanos.get();
            lostOnly.sweep();
        }
        assertEquals(List.of(), talks.actions);
        assertEquals("ping", silent.actions.get(0), "the silent one was: " + silent.actions);
    }

    @Test
    void thePeriodIsAQuarterOfTheShortestTimeoutWithinBounds() {
        assertEquals(1000, sweeper.periodMillis());
        var quick = new ConnectionSweeper<Fake>(ServerOptions.defaults().withIdleTimeoutSeconds(1)
                .withHandshakeTimeoutSeconds(10), metrics, live, c -> { }, nanos::get);
        assertEquals(250, quick.periodMillis());
        var quickPing = new ConnectionSweeper<Fake>(ServerOptions.defaults().withIdleTimeoutSeconds(0)
                .withConnectionLostTimeoutSeconds(2).withHandshakeTimeoutSeconds(10), metrics, live, c -> { },
                nanos::get);
        assertEquals(500, quickPing.periodMillis());
    }
}
