package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.testing.TrackerServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real rtcat peers in one JVM (in a private network namespace) meet through the reference WebTorrent tracker
 * on a real socket, authenticate with the code over the data channel and exchange data; and the ways trackers fail.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TrackerRendezvousIT {

    private static final String SECRET = "417-crossbow-orbit";
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    private static TrackerServer honest;
    private static TrackerServer second;
    private static TrackerServer dropping;
    private static TrackerServer flipping;

    @BeforeAll
    static void trackers() throws Exception {
        honest = TrackerServer.start("127.0.0.1", TrackerServer.Mode.HONEST);
        second = TrackerServer.start("127.0.0.1", TrackerServer.Mode.HONEST);
        dropping = TrackerServer.start("127.0.0.1", TrackerServer.Mode.DROPS_ANSWERS);
        flipping = TrackerServer.start("127.0.0.1", TrackerServer.Mode.FLIPS_FINGERPRINTS);
    }

    @AfterAll
    static void stop() throws Exception {
        for (TrackerServer t : new TrackerServer[] {honest, second, dropping, flipping}) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Test
    void peersMeetThroughTheTrackerAuthenticateAndExchangeData() throws Exception {
        Pair pair = meet(List.of(honest.uri()), "417");
        try {
            assertExchangesData(pair);
            assertTrue(pair.sendLog.toString().contains("via " + honest.uri()), pair.sendLog.toString());
        } finally {
            pair.close();
        }
    }

    @Test
    void aTrackerThatIsDownCostsNothing() throws Exception {
        Pair pair = meet(List.of(deadTracker(), honest.uri()), "418");
        try {
            assertExchangesData(pair);
        } finally {
            pair.close();
        }
    }

    @Test
    void aTrackerThatDropsAnswersIsOutrunByOneThatRelaysThem() throws Exception {
        Pair pair = meet(List.of(dropping.uri(), honest.uri()), "419");
        try {
            assertExchangesData(pair);
            String log = pair.sendLog + "\n" + pair.receiveLog;
            assertTrue(log.contains("answer from peer"), log);
            assertTrue(!log.matches("(?s).*answer from peer \\S+ via " + dropping.uri() + ".*"), log);
        } finally {
            pair.close();
        }
    }

    @Test
    void twoTrackersRacingGiveOneConnection() throws Exception {
        Pair pair = meet(List.of(honest.uri(), second.uri()), "420");
        try {
            assertExchangesData(pair);
            String log = pair.sendLog + "\n" + pair.receiveLog;
            assertTrue(log.contains("connected; announcing") , log);
        } finally {
            pair.close();
        }
    }

    @Test
    void aTrackerThatRestartsIsConnectedAgainWhileWaiting() throws Exception {
        PeerEngine engine = PeerEngine.shared();
        Log sendLog = new Log();
        TrackerServer restarting = TrackerServer.start("127.0.0.1", TrackerServer.Mode.HONEST);
        URI uri = restarting.uri();
        // The sender's deadline runs from its start, through the outage below (two reconnection delays): it gets
        // that on top of the usual wait, so that the meeting afterwards has as long as in every other test.
        Duration outage = TrackerRendezvous.RECONNECT_AFTER.multipliedBy(2).plusSeconds(10);
        try (TrackerRendezvous sender = TrackerRendezvous.create(engine, PeerConfig.defaults(),
                ChannelOptions.reliable("rtcat"), List.of(uri), "426", SECRET, Role.OFFERER, TIMEOUT.plus(outage),
                sendLog)) {
            CompletableFuture<RemotePeer> sent = sender.start();
            sendLog.await("connected; announcing", 20);
            restarting.close();
            sendLog.await("connecting again", 20);
            // Still down when the sender first tries again (a restart can take longer than one delay): that
            // failed reconnection must not end the wait.
            sendLog.await("(?s).*connecting again.*connecting again.*", 20);
            restarting = TrackerServer.start("127.0.0.1", uri.getPort(), TrackerServer.Mode.HONEST);
            sendLog.await("(?s).*connected; announcing.*connected; announcing.*", 30); // back in the swarm
            Log receiveLog = new Log();
            try (TrackerRendezvous receiver = rendezvous(engine, List.of(uri), "426", SECRET, Role.ANSWERER,
                    receiveLog)) {
                CompletableFuture<RemotePeer> received = receiver.start();
                Pair pair;
                try {
                    pair = new Pair(sent.get(60, TimeUnit.SECONDS), received.get(40, TimeUnit.SECONDS), sendLog,
                            receiveLog);
                } catch (ExecutionException e) {
                    throw new AssertionError("sender:\n" + sendLog + "receiver:\n" + receiveLog, e);
                }
                try {
                    assertExchangesData(pair);
                } finally {
                    pair.close();
                }
            }
        } finally {
            restarting.close();
        }
    }

    @Test
    void aStrangerWithTheWrongCodeDoesNotEndTheWait() throws Exception {
        PeerEngine engine = PeerEngine.shared();
        Log sendLog = new Log();
        Log strangerLog = new Log();
        List<URI> trackers = List.of(honest.uri());
        try (TrackerRendezvous sender = rendezvous(engine, trackers, "421", SECRET, Role.OFFERER, sendLog)) {
            CompletableFuture<RemotePeer> sent = sender.start();
            try (TrackerRendezvous stranger = rendezvous(engine, trackers, "421", "421-wrong-guess", Role.ANSWERER,
                    strangerLog)) {
                CompletableFuture<RemotePeer> strangerResult = stranger.start();
                sendLog.await("code phrase mismatch", 30);
                assertTrue(!strangerResult.isDone() || strangerResult.isCompletedExceptionally());
            }
            assertTrue(!sent.isDone(), "the sender gave up after one stranger: " + sendLog);
            Log receiveLog = new Log();
            try (TrackerRendezvous receiver = rendezvous(engine, trackers, "421", SECRET, Role.ANSWERER, receiveLog)) {
                CompletableFuture<RemotePeer> received = receiver.start();
                Pair pair;
                try {
                    pair = new Pair(sent.get(60, TimeUnit.SECONDS), received.get(40, TimeUnit.SECONDS), sendLog,
                            receiveLog);
                } catch (ExecutionException e) {
                    throw new AssertionError("sender:\n" + sendLog + "receiver:\n" + receiveLog
                            + "stranger:\n" + strangerLog, e);
                }
                try {
                    assertExchangesData(pair);
                } finally {
                    pair.close();
                }
            }
        }
    }

    @Test
    void aTrackerThatAltersFingerprintsNeverGetsAConnection() throws Exception {
        PeerEngine engine = PeerEngine.shared();
        Log sendLog = new Log();
        Log receiveLog = new Log();
        List<URI> trackers = List.of(flipping.uri());
        Duration shortWait = Duration.ofSeconds(12);
        try (TrackerRendezvous sender = TrackerRendezvous.create(engine, PeerConfig.defaults(),
                ChannelOptions.reliable("rtcat"), trackers, "422", SECRET, Role.OFFERER, shortWait, sendLog);
                TrackerRendezvous receiver = TrackerRendezvous.create(engine, PeerConfig.defaults(),
                        ChannelOptions.reliable("rtcat"), trackers, "422", SECRET, Role.ANSWERER, shortWait,
                        receiveLog)) {
            CompletableFuture<RemotePeer> sent = sender.start();
            CompletableFuture<RemotePeer> received = receiver.start();
            ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(40, TimeUnit.SECONDS));
            assertThrows(ExecutionException.class, () -> received.get(40, TimeUnit.SECONDS));
            RtcatException cause = (RtcatException) e.getCause();
            assertEquals(RtcatException.Kind.TIMEOUT, cause.kind());
            assertTrue(cause.getMessage().contains("ICE/DTLS failed"), cause.getMessage());
            assertTrue(!sendLog.toString().contains("proved the code"), sendLog.toString());
        }
    }

    @Test
    void aTrackerOperatorInTheMiddleIsCaughtByTheFingerprintBindingBeforeAnyByteMoves() throws Exception {
        PeerEngine engine = PeerEngine.shared();
        Log sendLog = new Log();
        Log receiveLog = new Log();
        try (MitmTracker mitm = MitmTracker.start(engine);
                TrackerRendezvous sender = rendezvous(engine, List.of(mitm.uri()), "424", SECRET, Role.OFFERER,
                        sendLog);
                TrackerRendezvous receiver = rendezvous(engine, List.of(mitm.uri()), "424", SECRET, Role.ANSWERER,
                        receiveLog)) {
            CompletableFuture<RemotePeer> sent = sender.start();
            sendLog.await("connected; announcing", 20); // the sender is in the swarm before the first offer
            CompletableFuture<RemotePeer> received = receiver.start();
            for (CompletableFuture<RemotePeer> side : List.of(sent, received)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> side.get(40, TimeUnit.SECONDS),
                        () -> "sender:\n" + sendLog + "receiver:\n" + receiveLog);
                RtcatException cause = (RtcatException) e.getCause();
                assertEquals(RtcatException.Kind.FAILED, cause.kind(), cause.getMessage());
                assertTrue(cause.getMessage().contains("tampered"), cause.getMessage());
            }
            assertTrue(mitm.relayed() >= 6, "the operator relayed the PAKE (" + mitm.relayed() + " messages): it "
                    + "was in the middle of two working DTLS connections, so only the binding could catch it");
            assertEquals(0, mitm.mainChannelMessages(), "nothing may move on the transfer channel");
        }
    }

    @Test
    void aWrongCodeOnTheOtherSideFailsAsAPakeFailure() throws Exception {
        PeerEngine engine = PeerEngine.shared();
        Log sendLog = new Log();
        Log receiveLog = new Log();
        Duration shortWait = Duration.ofSeconds(12);
        try (TrackerRendezvous sender = TrackerRendezvous.create(engine, PeerConfig.defaults(),
                ChannelOptions.reliable("rtcat"), List.of(honest.uri()), "425", SECRET, Role.OFFERER, shortWait,
                sendLog);
                TrackerRendezvous receiver = TrackerRendezvous.create(engine, PeerConfig.defaults(),
                        ChannelOptions.reliable("rtcat"), List.of(honest.uri()), "425", "425-crossbow-orbiter",
                        Role.ANSWERER, shortWait, receiveLog)) {
            CompletableFuture<RemotePeer> sent = sender.start();
            CompletableFuture<RemotePeer> received = receiver.start();
            for (CompletableFuture<RemotePeer> side : List.of(sent, received)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> side.get(40, TimeUnit.SECONDS));
                RtcatException cause = (RtcatException) e.getCause();
                assertEquals(RtcatException.Kind.FAILED, cause.kind(), cause.getMessage());
                assertTrue(cause.getMessage().startsWith(TrackerRendezvous.PAKE_FAILED), cause.getMessage());
            }
        }
    }

    @Test
    void withNoTrackerReachableItFailsFastNamingWhatItTried() throws Exception {
        URI dead = deadTracker();
        Log log = new Log();
        long start = System.nanoTime();
        try (TrackerRendezvous r = rendezvous(PeerEngine.shared(), List.of(dead), "423", SECRET, Role.ANSWERER, log)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> r.start().get(30, TimeUnit.SECONDS));
            RtcatException cause = (RtcatException) e.getCause();
            assertEquals(RtcatException.Kind.UNAVAILABLE, cause.kind());
            assertTrue(cause.getMessage().startsWith("cannot reach any tracker: " + dead + " (unreachable: "),
                    cause.getMessage());
            assertTrue(!cause.getMessage().contains("\n"));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(TIMEOUT.toSeconds() / 2));
    }

    // ---- helpers ----

    private record Pair(RemotePeer sender, RemotePeer receiver, Log sendLog, Log receiveLog) {
        void close() {
            sender.close();
            receiver.close();
        }
    }

    private static Pair meet(List<URI> trackers, String nameplate) throws Exception {
        PeerEngine engine = PeerEngine.shared();
        Log sendLog = new Log();
        Log receiveLog = new Log();
        try (TrackerRendezvous sender = rendezvous(engine, trackers, nameplate, SECRET, Role.OFFERER, sendLog);
                TrackerRendezvous receiver = rendezvous(engine, trackers, nameplate, SECRET, Role.ANSWERER,
                        receiveLog)) {
            assertEquals(sender.swarmId(), receiver.swarmId());
            CompletableFuture<RemotePeer> sent = sender.start();
            CompletableFuture<RemotePeer> received = receiver.start();
            RemotePeer a = sent.get(60, TimeUnit.SECONDS);
            RemotePeer b;
            try {
                b = received.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                a.close();
                throw new AssertionError("receiver: " + receiveLog, e);
            }
            return new Pair(a, b, sendLog, receiveLog);
        }
    }

    private static TrackerRendezvous rendezvous(PeerEngine engine, List<URI> trackers, String nameplate,
            String secret, Role role, Log log) {
        return TrackerRendezvous.create(engine, PeerConfig.defaults(), ChannelOptions.reliable("rtcat"), trackers,
                nameplate, secret, role, TIMEOUT, log);
    }

    /** The sender's channel carries the transfer's bytes to the receiver's, both ways, and is the caller's. */
    private static void assertExchangesData(Pair pair) throws Exception {
        MessageChannel out = pair.sender.connection().channel();
        MessageChannel in = pair.receiver.connection().channel();
        assertEquals("rtcat", pair.sender.connection().peer().describe(out).label());
        assertEquals("rtcat", pair.receiver.connection().peer().describe(in).label());
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        in.setListener(MessageChannel.Listener.textOnly(got::add));
        out.sendText("hello through the tracker");
        assertEquals("hello through the tracker", got.poll(15, TimeUnit.SECONDS));
        LinkedBlockingQueue<String> back = new LinkedBlockingQueue<>();
        out.setListener(MessageChannel.Listener.textOnly(back::add));
        in.sendText("and back");
        assertEquals("and back", back.poll(15, TimeUnit.SECONDS));
        assertNotEquals(null, pair.sender.connection().remoteUserId());
    }

    private static URI deadTracker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    /** Progress lines, and a wait for one that contains some text. */
    static final class Log implements java.util.function.Consumer<String> {
        private final StringBuilder lines = new StringBuilder();

        @Override
        public synchronized void accept(String line) {
            lines.append(line).append('\n');
            notifyAll();
        }

        synchronized void await(String text, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!lines.toString().contains(text) && !lines.toString().matches(text)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no '" + text + "' within " + seconds + " s in:\n" + lines);
                }
                wait(left);
            }
        }

        @Override
        public synchronized String toString() {
            return lines.toString();
        }
    }
}
