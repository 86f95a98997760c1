package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.session.pake.PakeSession;

import io.rtcat.errors.Threads;
import io.rtcat.signaling.ServerOptions;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import io.rtcat.signaling.SignalingServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An attempt interrupted while its loop is busy (the PAKE's arithmetic takes seconds on a loaded machine), before
 * the loop has picked the peer, still tells the room it cancelled, and the peer hears that before it hears that we
 * left: over a real signaling server on loopback. Before the fix the handshake queued the cancel behind the busy
 * loop for at most a second, and a cancel with no peer known yet was not sent at all: the peer then reported "the
 * peer left" (exit 69) instead of "the receiver cancelled" (79).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedAttemptTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ROOM = "18";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final CountDownLatch loopBusy = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        loopBusy.countDown();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ExecutorService busyLoop() {
        ExecutorService loop = Threads.serial("test-busy-loop");
        open.add(loop::shutdownNow);
        return loop;
    }

    private void keepBusy(ExecutorService loop) {
        loop.execute(() -> {
            try {
                loopBusy.await(WAIT.toMillis(), TimeUnit.MILLISECONDS); // as if deep in the PAKE's arithmetic
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private record Members(SignalingClient sender, SignalingClient receiver) {
    }

    /** A real signaling server on loopback, and a sender and a receiver in one room of it, each told of the other. */
    private Members meet() throws Exception {
        SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerOptions.defaults(), WAIT);
        open.add(server);
        SignalingClient sender = member(server, "send-a1");
        SignalingClient receiver = member(server, "receive-b2");
        assertEquals("receive-b2", next(sender, SignalMessage.USER_JOINED).userId());
        return new Members(sender, receiver);
    }

    /** The receiver's attempt on {@code loop}, fed by its signaling connection as Handshake does. */
    private static Attempt receiving(ExecutorService loop, Members m, HandshakeOptions options) {
        Attempt attempt = new Attempt(loop, m.receiver(), Role.ANSWERER, options, progress -> { }, fingerprint -> { });
        m.receiver().setListener(attempt.listener());
        return attempt;
    }

    private SignalingClient member(SignalingServer server, String user) throws Exception {
        SignalingClient client = SignalingClient.connect(server.uri(), WAIT);
        open.add(client);
        client.join(ROOM, user);
        return client;
    }

    /** The next message of one of {@code types}, skipping others. */
    private static SignalMessage next(SignalingClient client, String... types) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SignalMessage m = client.receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (List.of(types).contains(m.type())) {
                return m;
            }
        }
    }

    @Test
    void aCancelBeforeTheLoopKnowsThePeerGoesToTheRoomAndArrivesBeforeTheLeaving() throws Exception {
        Members m = meet();
        SignalingClient waiting = m.sender();
        ExecutorService loop = busyLoop();
        keepBusy(loop);
        Attempt attempt = receiving(loop, m, HandshakeOptions.plain(ROOM, WAIT));

        attempt.tellPeerCancelled();
        m.receiver().close(); // as the interrupted command does right after

        SignalMessage first = next(waiting, Attempt.CANCEL, SignalMessage.USER_LEFT);
        assertEquals(Attempt.CANCEL, first.type(), first::toJson);
        assertEquals("receive-b2", first.sender(), first::toJson);
        assertEquals("interrupted", first.get("reason"), first::toJson);
        assertNotNull(next(waiting, SignalMessage.USER_LEFT));
    }

    /**
     * The other side of it: the peer's cancel fails the attempt as it arrives, not when the busy loop gets to it.
     * Before, a send the loop made meanwhile on the connection the peer was closing failed the attempt first, with
     * "signaling connection closed" (exit 69) instead of "the sender cancelled" (79).
     */
    @Test
    void thePeersCancelCountsAtOnceWhileTheLoopIsBusy() throws Exception {
        Members m = meet();
        SignalingClient sender = m.sender();
        ExecutorService loop = busyLoop();
        String secret = "crossbow-orbit";
        Attempt attempt = receiving(loop, m, new HandshakeOptions(null, ROOM, secret, WAIT, false, null));
        attempt.post(attempt.auth()::start);
        // the sender's round 1 makes it the receiver's PAKE peer, which answers with its round 2
        ObjectNode round1 = JsonNodeFactory.instance.objectNode();
        new PakeSession(secret, PakeSession.Role.SENDER, new SecureRandom()).round1().forEach(round1::put);
        sender.send(SignalMessage.of("pake").with("step", "1").with("payload", round1));
        while (!"2".equals(next(sender, "pake").get("step"))) {
            // the receiver's round 1, to the room
        }

        keepBusy(loop);
        sender.send(SignalMessage.of(Attempt.CANCEL).with("reason", "interrupted").with("target", "receive-b2"));
        Throwable failed = assertThrows(ExecutionException.class,
                () -> attempt.failure.get(WAIT.toSeconds(), TimeUnit.SECONDS)).getCause();
        assertEquals(RtcatException.Kind.PEER_CANCELLED, ((RtcatException) failed).kind(), failed::toString);
        assertTrue(failed.getMessage().startsWith("the sender cancelled"), failed.getMessage());
        assertEquals(1, loopBusy.getCount(), "the loop was still busy: the cancel did not wait for it");
    }
}
