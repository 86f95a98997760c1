package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.testing.InMemoryChannelPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The check protocol between CheckClient and Responder, over in-memory channels (the real-peer runs are ITs). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckProtocolTest {

    /** The ping channel: the checker's opener hands out end a, the responder's end b. */
    private final InMemoryChannelPair pings = new InMemoryChannelPair();

    @AfterEach
    void closePings() {
        pings.close();
    }

    /** A pair whose senders block once 1 MiB is queued each way, as a real channel pushes back. */
    private static InMemoryChannelPair bulkPair() {
        return new InMemoryChannelPair(InMemoryChannelPair.DEFAULT_MAX_MESSAGE_SIZE, 1 << 20);
    }

    private CompletableFuture<Responder.Served> serve(InMemoryChannelPair pair, Duration limit) {
        Responder responder = new Responder(limit, s -> { });
        return CompletableFuture.supplyAsync(() -> {
            try {
                return responder.serve(pair.b(), (label, id) -> pings.b());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void pingsUploadDownloadAndBye() throws Exception {
        try (InMemoryChannelPair pair = bulkPair()) {
            CompletableFuture<Responder.Served> served = serve(pair, Duration.ofSeconds(20));
            CheckClient client = new CheckClient(pair.a(), 5000);
            assertEquals(20, client.hello());
            client.openPingChannel((label, id) -> pings.a());
            EchoProbe.Result result = client.ping(10, 0);
            assertEquals(10, result.sent());
            assertEquals(10, result.answered());
            List<Long> progress = new CopyOnWriteArrayList<>();
            Throughput up = client.upload(1_000_001, 0, progress::add);
            assertEquals("up", up.direction());
            assertEquals(1_000_001, up.bytes());
            assertTrue(up.nanos() > 0);
            assertEquals(1_000_001L, progress.get(progress.size() - 1));
            Throughput down = client.download(300_000, 0, b -> { });
            assertEquals(new Throughput("down", 300_000, down.nanos()), down);
            Throughput[] both = client.bidirectional(70_000, 0, b -> { });
            assertEquals(70_000, both[0].bytes());
            assertEquals(70_000, both[1].bytes());
            client.bye();
            Responder.Served s = served.get(10, TimeUnit.SECONDS);
            assertEquals("bye", s.endedBy());
            assertEquals(10, s.pongs());
            assertEquals(370_000, s.bytesSent());
            assertEquals(70_000, s.bytesReceived(), "the counter restarts with each upload");
            assertEquals(List.of(), pair.listenerFailures());
        }
    }

    /**
     * The checker asks for the next download as soon as the last one's source-end arrives; the responder must
     * be ready for it by then (it once cleared its "download running" flag only after sending source-end, and
     * the next request was dropped: a 5 s stall, seen in about one run in five of the test above).
     */
    @Test
    void backToBackDownloadsAllStart() throws Exception {
        try (InMemoryChannelPair pair = bulkPair()) {
            serve(pair, Duration.ofSeconds(20));
            CheckClient client = new CheckClient(pair.a(), 2000);
            client.hello();
            for (int i = 0; i < 1000; i++) {
                assertEquals(1000, client.download(1000, 0, b -> { }).bytes(), "download " + i);
            }
            client.bye();
        }
    }

    @Test
    void timedRunsStopOnTime() throws Exception {
        try (InMemoryChannelPair pair = bulkPair()) {
            serve(pair, Duration.ofSeconds(20));
            CheckClient client = new CheckClient(pair.a(), 5000);
            client.hello();
            long start = System.nanoTime();
            Throughput down = client.download(0, 0.3, b -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(down.bytes() > 0, down.toString());
            assertTrue(seconds >= 0.3 && seconds < 5, "took " + seconds + " s");
            Throughput up = client.upload(0, 0.3, b -> { });
            assertTrue(up.bytes() > 0, up.toString());
            client.bye();
        }
    }

    @Test
    void theResponderCutsOffAtItsLimitAndTheCheckerSaysWhy() throws Exception {
        try (InMemoryChannelPair pair = bulkPair()) {
            CompletableFuture<Responder.Served> served = serve(pair, Duration.ofMillis(1500));
            CheckClient client = new CheckClient(pair.a(), 5000);
            assertEquals(1, client.hello());
            RtcatException e = assertThrows(RtcatException.class, () -> client.upload(0, 10, b -> { }));
            assertTrue(e.getMessage().contains("time limit"), e.getMessage());
            assertEquals("time limit", served.get(10, TimeUnit.SECONDS).endedBy());
        }
    }

    @Test
    void aPeerThatIsNoResponderIsNamed() {
        try (InMemoryChannelPair pair = new InMemoryChannelPair()) {
            pair.b().setListener(new io.rtcat.testing.RecordingListener());
            CheckClient client = new CheckClient(pair.a(), 300);
            RtcatException e = assertThrows(RtcatException.class, client::hello);
            assertEquals(RtcatException.Kind.TIMEOUT, e.kind());
            assertEquals("is the other side `rtcat respond`?", e.hint());
        }
    }

    @Test
    void lostPingsCountAsLostWithoutWaitingForTheWholeTimeout() throws Exception {
        try (InMemoryChannelPair pair = new InMemoryChannelPair()) {
            EchoProbe probe = new EchoProbe(10, 5, 30_000, true);
            // An echo that drops every odd ping, as an unreliable channel on a lossy path would.
            pair.b().setListener(io.rtcat.peer.MessageChannel.Listener.textOnly(text -> {
                String pong = EchoProbe.pongFor(text);
                if (pong != null && text.matches(".*\"seq\":\\d*[02468],.*")) {
                    CompletableFuture.runAsync(() -> {
                        try {
                            pair.b().sendText(pong);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }));
            pair.a().setListener(io.rtcat.peer.MessageChannel.Listener.textOnly(probe::accept));
            long start = System.nanoTime();
            EchoProbe.Result r = probe.run(pair.a());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(10, r.sent());
            assertEquals(5, r.answered());
            assertTrue(seconds < 5, "gave up on the lost pings after " + seconds + " s, not the 30 s timeout");
        }
    }

    /** Unknown types are ignored both ways; a known one with an invalid field ends the check, and says why. */
    @Test
    void unknownTypesAreIgnoredAndMalformedMessagesEndTheCheck() throws Exception {
        try (InMemoryChannelPair pair = bulkPair()) {
            CompletableFuture<Responder.Served> served = serve(pair, Duration.ofSeconds(20));
            CheckClient client = new CheckClient(pair.a(), 5000);
            pair.a().sendText("{\"type\":\"from-a-newer-checker\"}");
            pair.a().sendText("not json at all");
            assertEquals(20, client.hello(), "still serving");
            pair.a().sendText("{\"type\":\"source\",\"bytes\":-3}");
            RtcatException e = assertThrows(RtcatException.class,
                    () -> client.download(1000, 0, b -> { }));
            assertTrue(e.getMessage().startsWith("the responder ended the check: source message has a negative"),
                    e.getMessage());
            assertEquals("a malformed message", served.get(10, TimeUnit.SECONDS).endedBy());
        }
    }

    @Test
    void pongsAnswerOnlyPings() {
        assertEquals("{\"type\":\"pong\",\"seq\":4,\"t\":-9}", EchoProbe.pongFor("{\"type\":\"ping\",\"seq\":4,\"t\":-9}"));
        assertNull(EchoProbe.pongFor("{\"type\":\"pong\",\"seq\":4,\"t\":9}"));
        assertNull(EchoProbe.pongFor("{\"type\":\"ping\",\"seq\":99999999999,\"t\":9}"));
        assertNull(EchoProbe.pongFor("{\"type\":\"ping\",\"seq\":1,\"t\":9} "));
    }
}
