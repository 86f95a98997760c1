package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.testing.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Abuse against one real server on a real socket, with join tokens and metrics on, while an honest pair from
 * 127.0.0.1 keeps talking in its own room. Abusers come from other 127/8 addresses (so that the per-address
 * limits they trip are theirs alone) and speak raw WebSocket, as hostile clients do. After every abuse: the
 * server is up, /healthz says ok, the honest pair still relays, and /metrics counted exactly what happened.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SignalingAbuseIT {

    private static final Duration WAIT = Duration.ofSeconds(15); // generous: a shared CI machine can stall for seconds
    private static final int HANDSHAKE_TIMEOUT_SECONDS = 2;
    private static final int MAX_ROOMS_PER_IP = 5;
    private static final int MAX_CONNECTIONS_PER_IP = 20;
    private static final int ROOM_CAPACITY = 8;
    private static final byte[] SECRET = new byte[JoinTokens.MIN_SECRET_BYTES];

    private static SignalingServer server;
    private static MetricsServer metrics;
    private static SignalingClient alice;
    private static SignalingClient bob;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private static final AtomicInteger NONCE = new AtomicInteger();

    private final List<RawWebSocket> raw = new ArrayList<>();

    @BeforeAll
    static void startServerAndHonestPair() throws Exception {
        new Random(7).nextBytes(SECRET);
        ServerOptions opts = ServerOptions.defaults().withJoinSecret(SECRET).withRoomCapacity(ROOM_CAPACITY)
                .withMaxConnectionsPerIp(MAX_CONNECTIONS_PER_IP).withMaxRoomsPerIp(MAX_ROOMS_PER_IP)
                .withHandshakeTimeoutSeconds(HANDSHAKE_TIMEOUT_SECONDS);
        server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), opts, WAIT);
        metrics = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server);
        URI honest = URI.create(server.uri() + "?token=" + token("honest"));
        alice = SignalingClient.connect(honest, WAIT);
        alice.join("honest", "alice");
        assertEquals("joined", alice.receive(WAIT).type());
        bob = SignalingClient.connect(honest, WAIT);
        bob.join("honest", "bob");
        assertEquals("joined", bob.receive(WAIT).type());
        assertEquals("user-joined", alice.receive(WAIT).type());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, metrics, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @AfterEach
    void serverStillServesTheHonestPair() throws Exception {
        raw.forEach(RawWebSocket::abort);
        assertTrue(server.isRunning());
        assertEquals(200, get("/healthz").statusCode());
        String n = String.valueOf(NONCE.incrementAndGet());
        alice.send(SignalMessage.of("offer").with("target", "bob").with("n", n));
        SignalMessage offer = bob.receive(WAIT);
        assertEquals("offer", offer.type(), offer::toString);
        assertEquals(n, offer.get("n"));
        assertEquals("alice", offer.sender());
        bob.send(SignalMessage.of("answer").with("target", "alice").with("n", n));
        SignalMessage answer = alice.receive(WAIT);
        assertEquals("answer", answer.type(), answer::toString);
        assertEquals(n, answer.get("n"));
    }

    // ---------------------------------------------------------------- helpers

    private static String token(String room) {
        return URLEncoder.encode(JoinTokens.mint(SECRET, room, Instant.now().plusSeconds(600)), StandardCharsets.UTF_8);
    }

    private static String target(String room) {
        return "/?token=" + token(room);
    }

    private static InetAddress from(int b3, int b4) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) b3, (byte) b4});
    }

    private RawWebSocket open(InetAddress from, String target) throws IOException {
        RawWebSocket ws = RawWebSocket.open(from, server.port(), target);
        raw.add(ws);
        return ws;
    }

    /** Opens and joins {@code room} as {@code user}; returns the server's first answer. */
    private String joinAs(RawWebSocket ws, String room, String user) throws IOException {
        ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"userId\":\"" + user + "\"}");
        return ws.readText(WAIT);
    }

    private RawWebSocket joined(InetAddress from, String room, String user) throws IOException {
        RawWebSocket ws = open(from, target(room));
        String answer = joinAs(ws, room, user);
        assertTrue(answer.contains("\"type\":\"joined\""), answer);
        return ws;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(metrics.uri().resolve(path)).timeout(WAIT).GET().build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String rejections(String reason) {
        return "rtcat_signal_rejections_total{reason=\"" + reason + "\"}";
    }

    private static long metric(String series) throws Exception {
        String text = get("/metrics").body();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Long.parseLong(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in\n" + text);
    }

    /** Polls /metrics until {@code series} is {@code expected}: closes are counted asynchronously. */
    private static void awaitMetric(String series, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long v;
        while ((v = metric(series)) != expected) {
            assertTrue(System.nanoTime() < deadline, series + " is " + v + ", expected " + expected);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll interval
        }
    }

    private static void assertErrorCode(String frame, String code) {
        assertTrue(frame.contains("\"type\":\"error\"") && frame.contains("\"code\":\"" + code + "\""), frame);
    }

    // ---------------------------------------------------------------- abuse

    @Test
    void malformedJsonIsAnsweredWithErrorsAndTheConnectionSurvives() throws Exception {
        long badJson = metric(rejections(SignalingProtocol.ERR_BAD_JSON));
        long missingType = metric(rejections(SignalingProtocol.ERR_MISSING_TYPE));
        RawWebSocket ws = joined(from(0, 2), "junk", "j");
        List<String> garbage = List.of("{", "not json", "[1,2,3]", "\"a string\"", "{\"type\":", "",
                "{\"a\":1}{\"b\":2}", "{\"type\":\"x\",\"type\":\"y\"}", "[".repeat(60_000), "\u0000\u0001\u0002");
        for (String g : garbage) {
            ws.sendText(g);
            assertErrorCode(ws.readText(WAIT), SignalingProtocol.ERR_BAD_JSON);
        }
        for (String g : List.of("{}", "{\"type\":7}", "{\"type\":\"\"}")) {
            ws.sendText(g);
            assertErrorCode(ws.readText(WAIT), SignalingProtocol.ERR_MISSING_TYPE);
        }
        ws.sendText("{\"type\":\"join\",\"room\":\"junk\",\"userId\":\"again\"}"); // still served
        assertErrorCode(ws.readText(WAIT), SignalingProtocol.ERR_ALREADY_JOINED);
        awaitMetric(rejections(SignalingProtocol.ERR_BAD_JSON), badJson + garbage.size());
        awaitMetric(rejections(SignalingProtocol.ERR_MISSING_TYPE), missingType + 3);
    }

    @Test
    void binaryFramesAreRefusedOneByOne() throws Exception {
        long before = metric(rejections(SignalingProtocol.ERR_BINARY));
        RawWebSocket ws = joined(from(0, 3), "bin", "b");
        for (int i = 0; i < 10; i++) {
            ws.sendFrame(RawWebSocket.OP_BINARY, new byte[1024]);
            assertErrorCode(ws.readText(WAIT), SignalingProtocol.ERR_BINARY);
        }
        awaitMetric(rejections(SignalingProtocol.ERR_BINARY), before + 10);
    }

    @Test
    void aSixteenMebibyteFrameClosesThatConnectionWith1009() throws Exception {
        long before = metric(rejections(ServerMetrics.MESSAGE_TOO_BIG));
        RawWebSocket ws = joined(from(0, 4), "big", "b");
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            long start = System.nanoTime();
            Future<?> sending = writer.submit(() -> {
                try {
                    ws.sendHugeFrame(RawWebSocket.OP_TEXT, 16L << 20);
                } catch (IOException hungUpOn) {
                    // expected: the server stops listening long before 16 MiB
                }
                return null;
            });
            RawWebSocket.Closed closed = ws.awaitClose(Duration.ofSeconds(10));
            // The close frame normally arrives; a reset caused by our still-flowing bytes may overtake it.
            assertTrue(closed.code() == 1009 || closed.code() == RawWebSocket.NO_CLOSE_FRAME, closed.toString());
            ws.abort();
            sending.get(10, TimeUnit.SECONDS);
            System.out.printf("16 MiB frame: connection closed after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            writer.shutdownNow();
        }
        awaitMetric(rejections(ServerMetrics.MESSAGE_TOO_BIG), before + 1);
    }

    /**
     * A member that never reads its socket while another floods the room with the largest allowed messages:
     * before the out-queue bound the server kept everything for it (a 256 MiB heap full in about 10 s).
     */
    @Test
    void aMemberThatNeverReadsIsCutAsASlowReader() throws Exception {
        long before = metric(rejections(ServerMetrics.SLOW_READER));
        RawWebSocket deaf = joined(from(0, 5), "deaf", "deaf"); // from here on, never read
        RawWebSocket loud = joined(from(0, 6), "deaf", "loud");
        String big = "{\"type\":\"offer\",\"pad\":\"" + "x".repeat(ServerOptions.DEFAULT_MAX_MESSAGE_BYTES - 64)
                + "\"}";
        MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = heap.getHeapMemoryUsage().getUsed();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(20);
        int sent = 0;
        while (metric(rejections(ServerMetrics.SLOW_READER)) == before) {
            assertTrue(System.nanoTime() < deadline, "slow reader still connected after " + sent + " messages of "
                    + big.length() + " bytes");
            loud.sendText(big); // beyond the rate limit the server drops them, answering with an error now and then
            sent++;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // about the default sustained rate
        }
        long cutMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long peak = heap.getHeapMemoryUsage().getUsed();
        System.gc();
        long heapAfter = heap.getHeapMemoryUsage().getUsed();
        System.out.printf("slow reader: cut after %d ms, %d messages of %d bytes sent; heap %d MiB before, "
                        + "%d MiB at the cut, %d MiB after gc%n", cutMillis, sent, big.length(), heapBefore >> 20,
                peak >> 20, heapAfter >> 20);
        assertTrue(heapAfter - heapBefore < 32L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
        assertEquals(RawWebSocket.NO_CLOSE_FRAME, drain(deaf).code()); // dropped at once: a close frame would queue
        assertEquals(before + 1, metric(rejections(ServerMetrics.SLOW_READER)));
    }

    /** Reads what the server managed to send before it cut the socket, then its end. */
    private static RawWebSocket.Closed drain(RawWebSocket ws) throws IOException {
        return ws.awaitClose(WAIT);
    }

    @Test
    void slowlorisHandshakesAreDroppedAfterTheHandshakeTimeout() throws Exception {
        long before = metric(rejections(ServerMetrics.HANDSHAKE_TIMEOUT));
        int n = 30;
        String request = RawWebSocket.upgradeRequest(server.port(), target("slow"));
        List<Socket> sockets = new ArrayList<>();
        long[] closedAfter = new long[n];
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = RawWebSocket.tcp(from(1, 1 + i % 3), server.port());
                sockets.add(s);
                s.setSoTimeout(10);
                s.getOutputStream().write(request.substring(0, 20).getBytes(StandardCharsets.US_ASCII));
            }
            // Dribble one more byte of the (never finished) request to each socket per round; a round takes
            // n x 10 ms of read timeouts, which paces it.
            int open = n;
            for (int round = 0; open > 0; round++) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(HANDSHAKE_TIMEOUT_SECONDS + 6),
                        open + " slow handshakes still open");
                for (int i = 0; i < n; i++) {
                    if (closedAfter[i] != 0) {
                        continue;
                    }
                    Socket s = sockets.get(i);
                    if (isClosed(s, request.charAt(Math.min(20 + round, request.length() - 5)))) {
                        closedAfter[i] = System.nanoTime() - start;
                        open--;
                    }
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        for (long nanos : closedAfter) {
            long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
            assertTrue(ms >= HANDSHAKE_TIMEOUT_SECONDS * 1000L - 500, "dropped too early: " + ms + " ms");
        }
        long last = TimeUnit.NANOSECONDS.toMillis(java.util.Arrays.stream(closedAfter).max().orElseThrow());
        System.out.printf("slowloris: %d partial handshakes all dropped within %d ms%n", n, last);
        awaitMetric(rejections(ServerMetrics.HANDSHAKE_TIMEOUT), before + n);
    }

    /** Writes one byte and peeks for EOF or reset: true once the server has dropped the socket. */
    private static boolean isClosed(Socket s, char next) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(next);
            out.flush();
            InputStream in = s.getInputStream();
            return in.read() < 0; // the server sends nothing before the upgrade completes
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void anUpgradedConnectionThatNeverJoinsIsClosedWith4410() throws Exception {
        long before = metric(rejections(ServerMetrics.JOIN_TIMEOUT));
        long start = System.nanoTime();
        RawWebSocket lazy = open(from(0, 9), target("lazy"));
        RawWebSocket.Closed closed = lazy.awaitClose(Duration.ofSeconds(HANDSHAKE_TIMEOUT_SECONDS + 5));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(SignalingProtocol.CLOSE_JOIN_TIMEOUT, closed.code(), closed.toString());
        assertEquals("join timeout", closed.reason());
        assertTrue(ms >= HANDSHAKE_TIMEOUT_SECONDS * 1000L - 500, "closed after " + ms + " ms");
        awaitMetric(rejections(ServerMetrics.JOIN_TIMEOUT), before + 1);
    }

    @Test
    void tenThousandConnectDisconnectCyclesLeaveNothingBehind() throws Exception {
        int cycles = 10_000;
        int threads = 4;
        long total = metric("rtcat_signal_connections_total");
        long open = metric("rtcat_signal_connections");
        String target = target("cycle");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = first; i < cycles; i += threads) {
                        // 50 source addresses: the per-IP limit counts open connections, and the server sees
                        // a close a moment after the client made it.
                        try (RawWebSocket ws = RawWebSocket.open(from(2, 1 + i % 50), server.port(), target)) {
                            if (i % 2 == 1) {
                                ws.sendFrame(RawWebSocket.OP_CLOSE, new byte[] {0x03, (byte) 0xe8}); // 1000
                                ws.closeNormally(); // FIN, without waiting for the server's close frame
                            }
                            ok++;
                        } // even cycles: reset without a close frame
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : done) {
                ok += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(cycles, ok);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d connect/disconnect cycles in %.1f s (%.0f/s)%n", cycles, seconds, cycles / seconds);
        awaitMetric("rtcat_signal_connections_total", total + cycles);
        awaitMetric("rtcat_signal_connections", open);
    }

    @Test
    void aJoinFloodFillsTheRoomAndRefusesTheRest() throws Exception {
        long full = metric(rejections(SignalingProtocol.ERR_ROOM_FULL));
        int joined = 0;
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            RawWebSocket ws = open(from(0, 5 + i % 2), target("flood"));
            String answer = joinAs(ws, "flood", "f" + i);
            if (answer.contains("\"type\":\"joined\"")) {
                joined++;
            } else {
                assertErrorCode(answer, SignalingProtocol.ERR_ROOM_FULL);
                refused++;
            }
        }
        assertEquals(ROOM_CAPACITY, joined);
        assertEquals(40 - ROOM_CAPACITY, refused);
        awaitMetric(rejections(SignalingProtocol.ERR_ROOM_FULL), full + 40 - ROOM_CAPACITY);
    }

    @Test
    void connectionsFromOneAddressAreCapped() throws Exception {
        long before = metric(rejections(ServerMetrics.TOO_MANY_CONNECTIONS));
        int extra = 5;
        for (int i = 0; i < MAX_CONNECTIONS_PER_IP; i++) {
            joined(from(0, 8), "crowd-" + i / ROOM_CAPACITY, "c" + i);
        }
        for (int i = 0; i < extra; i++) {
            RawWebSocket.Closed closed = open(from(0, 8), target("crowd")).awaitClose(WAIT);
            assertEquals(SignalingProtocol.CLOSE_TOO_MANY, closed.code(), closed.toString());
        }
        awaitMetric(rejections(ServerMetrics.TOO_MANY_CONNECTIONS), before + extra);
    }

    @Test
    void oneAddressCannotSprayRooms() throws Exception {
        long before = metric(rejections(SignalingProtocol.ERR_TOO_MANY_ROOMS));
        List<RawWebSocket> members = new ArrayList<>();
        for (int i = 0; i < MAX_ROOMS_PER_IP; i++) {
            members.add(joined(from(0, 7), "spray-" + i, "s"));
        }
        RawWebSocket extra = open(from(0, 7), target("spray-extra"));
        int retries = 0;
        for (int i = 0; i < 3; i++) {
            assertErrorCode(joinAs(extra, "spray-extra", "s"), SignalingProtocol.ERR_TOO_MANY_ROOMS);
        }
        // A second connection into a room the address already holds costs nothing.
        RawWebSocket same = open(from(0, 7), target("spray-0"));
        assertTrue(joinAs(same, "spray-0", "s2").contains("\"type\":\"joined\""));
        // Leaving a room frees a slot.
        members.get(1).sendText("{\"type\":\"leave\"}");
        long deadline = System.nanoTime() + WAIT.toNanos();
        String answer;
        while (!(answer = joinAs(extra, "spray-extra", "s")).contains("\"type\":\"joined\"")) {
            assertErrorCode(answer, SignalingProtocol.ERR_TOO_MANY_ROOMS);
            assertTrue(System.nanoTime() < deadline, "no room slot freed by leave");
            retries++; // the leave was not handled yet; this refusal is counted too
        }
        awaitMetric(rejections(SignalingProtocol.ERR_TOO_MANY_ROOMS), before + 3 + retries);
    }

    @Test
    void aTokenReplayedAfterItExpiredIsRefused() throws Exception {
        long before = metric(rejections(ServerMetrics.UNAUTHORIZED));
        Instant expiry = Instant.now().plusSeconds(1);
        String once = "/?token=" + URLEncoder.encode(JoinTokens.mint(SECRET, "replay", expiry), StandardCharsets.UTF_8);
        RawWebSocket first = open(from(0, 10), once);
        assertTrue(joinAs(first, "replay", "r").contains("\"type\":\"joined\""));
        // Wait for the clock to pass the expiry second (at most ~2 s).
        while (Instant.now().getEpochSecond() <= expiry.getEpochSecond()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        RawWebSocket.Closed closed = open(from(0, 10), once).awaitClose(WAIT);
        assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, closed.code(), closed.toString());
        assertTrue(closed.reason().contains("expired"), closed.reason());
        awaitMetric(rejections(ServerMetrics.UNAUTHORIZED), before + 1);
    }

    @Test
    void wrongTokensAreRefused() throws Exception {
        long before = metric(rejections(ServerMetrics.UNAUTHORIZED));
        long notAllowed = metric(rejections(SignalingProtocol.ERR_ROOM_NOT_ALLOWED));
        byte[] other = SECRET.clone();
        other[3] ^= 0x40;
        String forged = URLEncoder.encode(JoinTokens.mint(other, "vault", Instant.now().plusSeconds(600)),
                StandardCharsets.UTF_8);
        List<String> targets = List.of("/?token=" + forged, "/?token=v1.x.y.z", "/", "/?token=",
                "/?token=" + token("vault") + "&token=" + token("vault"), "/?token=%zz");
        for (String t : targets) {
            RawWebSocket.Closed closed = open(from(0, 11), t).awaitClose(WAIT);
            assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, closed.code(), t + ": " + closed);
        }
        // A genuine token for another room gets into the server but not into this room.
        RawWebSocket elsewhere = open(from(0, 11), target("lobby"));
        assertErrorCode(joinAs(elsewhere, "vault", "thief"), SignalingProtocol.ERR_ROOM_NOT_ALLOWED);
        awaitMetric(rejections(ServerMetrics.UNAUTHORIZED), before + targets.size());
        awaitMetric(rejections(SignalingProtocol.ERR_ROOM_NOT_ALLOWED), notAllowed + 1);
    }
}
