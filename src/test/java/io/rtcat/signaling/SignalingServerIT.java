package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real server on 127.0.0.1, real clients: what only sockets show. The protocol's decisions (targets, rooms,
 * errors, capacity) are tested without sockets in {@link RelayProtocolTest}. Negative checks use ordering
 * markers, not sleeps.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SignalingServerIT {

    private static final Duration WAIT = Duration.ofSeconds(15); // generous: a shared CI machine can stall for seconds
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SignalingServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = startServer(ServerOptions.defaults());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SignalingServer startServer(ServerOptions opts) throws RtcatException {
        SignalingServer s = SignalingServer.start(new InetSocketAddress(LOOPBACK, 0), opts, WAIT);
        toClose.add(s);
        return s;
    }

    private SignalingClient connect(SignalingServer s) throws RtcatException {
        SignalingClient c = SignalingClient.connect(s.uri(), WAIT);
        toClose.add(c);
        return c;
    }

    /** Connects and joins, consuming the "joined" acknowledgement. */
    private SignalingClient joined(SignalingServer s, String room, String user) throws RtcatException {
        SignalingClient c = connect(s);
        c.join(room, user);
        SignalMessage ack = expect(c, "joined");
        assertEquals(room, ack.room());
        assertEquals(user, ack.userId());
        return c;
    }

    private static SignalMessage expect(SignalingClient c, String type) throws RtcatException {
        SignalMessage m = c.receive(WAIT);
        assertEquals(type, m.type(), () -> "unexpected message " + m);
        return m;
    }

    private static SignalMessage expectError(SignalingClient c, String code) throws RtcatException {
        SignalMessage m = expect(c, "error");
        assertEquals(code, m.code(), () -> "unexpected error " + m);
        assertTrue(m.errorMessage() != null && !m.errorMessage().isEmpty());
        return m;
    }

    private static SignalMessage marker(String id) {
        return SignalMessage.of("marker").with("id", id);
    }

    /** The next message {@code c} gets is the given marker (so nothing else was queued before it). */
    private static void expectMarker(SignalingClient c, String id) throws RtcatException {
        SignalMessage m = expect(c, "marker");
        assertEquals(id, m.get("id"));
    }

    @Test
    void flushReturnsOnceTheServerHasHandledWhatWasSentBefore() throws Exception {
        SignalingClient a = connect(server);
        a.join("flushed", "alice"); // not waiting for `joined`: the flush is what says it was handled
        assertTrue(a.flush(WAIT), "the server answered the ping");
        assertEquals(1, server.roomCount(), "the join before the ping was handled before its answer");
    }

    /**
     * The last message before close() reaches the peer even while the server is still sending to us: Java-WebSocket's
     * client ends its read loop on anything that arrives after close() began, and then dropped what was still
     * queued to send (and its server what it had read but not decoded). close() now flushes first.
     */
    @Test
    void theLastMessageBeforeCloseReachesThePeerWhileTheServerStillSendsToUs() throws Exception {
        for (int round = 0; round < 30; round++) {
            String room = "busy-" + round;
            SignalingClient leaving = joined(server, room, "leaving");
            SignalingClient staying = joined(server, room, "staying");
            expect(leaving, "user-joined");
            for (int i = 0; i < 150; i++) { // in flight towards `leaving` as it closes (the burst allows 200)
                staying.send(SignalMessage.of("chatter").with("target", "leaving").with("n", i));
            }
            // keeps the writer busy while the last message waits behind it (under the server's 256 KiB slow-reader
            // limit for `staying`)
            String pad = "x".repeat(60 * 1024);
            for (int i = 0; i < 3; i++) {
                leaving.send(SignalMessage.of("chatter").with("target", "staying").with("pad", pad));
            }
            leaving.send(SignalMessage.of("goodbye").with("target", "staying"));
            leaving.close();
            SignalMessage m;
            do {
                m = staying.receive(WAIT);
            } while (m.type().equals("chatter"));
            assertEquals("goodbye", m.type(), "round " + round + ": " + m.toJson());
            assertEquals("user-left", expect(staying, "user-left").type());
            staying.close();
        }
    }

    @Test
    void startReportsRealPortAndUri() {
        assertTrue(server.port() > 0);
        assertEquals(URI.create("ws://127.0.0.1:" + server.port() + "/"), server.uri());
    }

    @Test
    void secondJoinTellsTheFirst() throws Exception {
        SignalingClient a = connect(server);
        a.join("room1", "alice");
        SignalMessage ackA = expect(a, "joined");
        assertEquals(0, ackA.getNode("users").size());

        SignalingClient b = connect(server);
        b.join("room1", "bob");
        SignalMessage ackB = expect(b, "joined");
        assertEquals("alice", ackB.getNode("users").get(0).asText());

        SignalMessage note = expect(a, "user-joined");
        assertEquals("bob", note.userId());
        assertEquals("{\"type\":\"user-joined\",\"userId\":\"bob\"}", note.toJson());
    }

    @Test
    void untargetedOfferGoesToAllOthersWithSender() throws Exception {
        SignalingClient a = joined(server, "r", "a");
        SignalingClient b = joined(server, "r", "b");
        SignalingClient c = joined(server, "r", "c");
        expect(a, "user-joined");
        expect(a, "user-joined");
        expect(b, "user-joined");

        SignalMessage offer = SignalMessage.offer("offer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", null)
                .with("extra", "kept");
        a.send(offer);
        for (SignalingClient peer : List.of(b, c)) {
            SignalMessage got = expect(peer, "offer");
            assertEquals("a", got.sender());
            assertNull(got.target());
            assertEquals("offer", got.sdpType());
            assertEquals(offer.sdp(), got.sdp());
            assertEquals("kept", got.get("extra"));
            assertEquals(offer.with("sender", "a"), got);
        }
        // The sender does not get its own broadcast: the next thing it sees is b's marker.
        b.send(marker("m1").withTarget("a"));
        SignalMessage m = c.poll(Duration.ZERO);
        assertNull(m);
        expectMarker(a, "m1");
    }

    @Test
    void leaveAndDisconnectTellTheOthers() throws Exception {
        SignalingClient a = joined(server, "r", "a");
        SignalingClient b = joined(server, "r", "b");
        SignalingClient c = joined(server, "r", "c");
        expect(a, "user-joined");
        expect(a, "user-joined");
        expect(b, "user-joined");

        b.leave();
        assertEquals("b", expect(a, "user-left").userId());
        assertEquals("b", expect(c, "user-left").userId());

        // After leave, b is no longer a member: relays are refused, and it may join again.
        b.send(marker("x"));
        expectError(b, SignalingProtocol.ERR_NOT_JOINED);
        b.join("r", "b");
        expect(b, "joined");
        assertEquals("b", expect(a, "user-joined").userId());
        assertEquals("b", expect(c, "user-joined").userId());

        c.close();
        assertEquals("c", expect(a, "user-left").userId());
        assertEquals("c", expect(b, "user-left").userId());
    }

    @Test
    void oversizedMessageClosesOnlyThatConnection() throws Exception {
        SignalingServer small = startServer(ServerOptions.defaults().withMaxMessageBytes(1024));
        SignalingClient a = joined(small, "r", "a");
        SignalingClient b = joined(small, "r", "b");
        expect(a, "user-joined");

        a.send(SignalMessage.of("blob").with("data", "x".repeat(4000)));
        SignalingClient.Closed closed = a.whenClosed().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(1009, closed.code());
        assertFalse(a.isOpen());
        RtcatException e = assertThrows(RtcatException.class, () -> a.send(marker("late")));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());

        assertEquals("a", expect(b, "user-left").userId());
        SignalingClient c = joined(small, "r", "c");
        assertEquals("c", expect(b, "user-joined").userId());
        c.send(SignalMessage.offer("offer", "v=0", "b"));
        assertEquals("c", expect(b, "offer").sender());
    }

    @Test
    void connectingToClosedPortFailsPromptly() throws Exception {
        SignalingServer gone = startServer(ServerOptions.defaults());
        URI uri = gone.uri();
        gone.close();
        long t0 = System.nanoTime();
        RtcatException e = assertThrows(RtcatException.class,
                () -> SignalingClient.connect(uri, Duration.ofSeconds(10)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach signaling server " + uri + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(ms < 8000, "took " + ms + " ms (the timeout was 10 s)");
    }

    @Test
    void bindConflictFailsPromptly() {
        long t0 = System.nanoTime();
        RtcatException e = assertThrows(RtcatException.class, () -> SignalingServer.start(
                new InetSocketAddress(LOOPBACK, server.port()), null, Duration.ofSeconds(10)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains(":" + server.port()), e.getMessage());
        assertTrue(ms < 8000, "took " + ms + " ms (the timeout was 10 s)");
    }

    @Test
    void invalidUrlIsUsageError() {
        RtcatException e = assertThrows(RtcatException.class,
                () -> SignalingClient.connect(URI.create("http://127.0.0.1:1/"), WAIT));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
    }

    @Test
    void listenerGetsQueuedAndLaterMessagesAndClose() throws Exception {
        SignalingClient a = joined(server, "r", "a");
        SignalingClient b = joined(server, "r", "b");
        expect(a, "user-joined");
        b.send(marker("1"));
        b.send(marker("2"));
        // Wait until both are queued at a, using a third marker delivered through the queue.
        b.send(marker("3"));
        BlockingQueue<SignalMessage> got = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closedCode = new CompletableFuture<>();
        expectMarker(a, "1");
        a.setListener(new SignalingClient.Listener() {
            @Override
            public void onMessage(SignalMessage message) {
                got.add(message);
            }

            @Override
            public void onClosed(int code, String reason) {
                closedCode.complete(code);
            }
        });
        b.send(marker("4"));
        for (String id : List.of("2", "3", "4")) {
            SignalMessage m = got.poll(5, TimeUnit.SECONDS);
            assertEquals(id, m == null ? null : m.get("id"));
        }
        server.close();
        assertEquals(1001, closedCode.get(5, TimeUnit.SECONDS));
        server.close(); // idempotent
        a.close();
        a.close(); // idempotent
    }

    /**
     * `rtcat signal` closes its server on the thread a SIGTERM also interrupts: before, an interrupt during close
     * ended the wait for the close frames, the JVM exited and clients saw 1006 instead of 1001 "going away".
     */
    @Test
    void anInterruptedCloseStillSaysGoingAwayToEveryClient() throws Exception {
        SignalingClient a = joined(server, "r", "a");
        CompletableFuture<Integer> closedCode = new CompletableFuture<>();
        a.setListener(new SignalingClient.Listener() {
            @Override
            public void onMessage(SignalMessage message) {
            }

            @Override
            public void onClosed(int code, String reason) {
                closedCode.complete(code);
            }
        });
        Thread.currentThread().interrupt();
        try {
            server.close();
            assertTrue(Thread.currentThread().isInterrupted(), "close() must keep the caller's interrupt");
        } finally {
            Thread.interrupted();
        }
        // Closed means done: a process may exit now. Before, the selector thread still ran (and listened).
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", server.port()).close());
        assertEquals(1001, closedCode.get(5, TimeUnit.SECONDS));
        a.close();
    }

    @Test
    void receiveReportsClosedConnection() throws Exception {
        SignalingClient a = joined(server, "r", "a");
        server.close();
        RtcatException e = assertThrows(RtcatException.class, () -> a.receive(WAIT));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertNull(a.poll(WAIT));
        RtcatException t = assertThrows(RtcatException.class, () -> connect(server));
        assertEquals(RtcatException.Kind.UNAVAILABLE, t.kind());
    }

    @Test
    void receiveTimesOut() throws Exception {
        SignalingClient a = joined(server, "r", "a");
        RtcatException e = assertThrows(RtcatException.class, () -> a.receive(Duration.ofMillis(50)));
        assertEquals(RtcatException.Kind.TIMEOUT, e.kind());
    }

    @Test
    void libraryThreadsAreDaemons() throws Exception {
        SignalingClient a = joined(server, "r", "a");
        SignalingClient b = joined(server, "r", "b");
        expect(a, "user-joined");
        b.send(marker("x"));
        expectMarker(a, "x");
        List<String> offenders = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if ((n.startsWith("WebSocket") || n.startsWith("connectionLostChecker")) && !t.isDaemon()) {
                offenders.add(n);
            }
        }
        assertTrue(offenders.isEmpty(), "non-daemon threads: " + offenders);
    }

    /** Sends raw text, bypassing SignalMessage validation, through the package-private hook. */
    private static void sendRaw(SignalingClient c, String text) throws RtcatException {
        c.sendRaw(text);
    }
}
