package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import io.rtcat.testing.RedisServer;
import io.rtcat.testing.RtcatProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out as deployed: two `rtcat signal --redis` processes on different ports, one real redis-server,
 * real `rtcat send`/`rtcat receive` processes (one on each server) and real WebSocket clients.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SignalRedisIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PORT = "\"port\"\\s*:\\s*(\\d+)";
    private static final String METRICS_PORT = "\"metrics_port\"\\s*:\\s*(\\d+)";

    @TempDir
    Path tmp;

    private RedisServer redis;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        redis.close();
    }

    /** One `rtcat signal` on a free loopback port sharing rooms through the test's Redis. */
    private final class Server {
        final RtcatProcess process;
        final String url;
        final int metricsPort;

        Server() throws Exception {
            this(false);
        }

        /** @param fromEnvironment pass the url as $RTCAT_SIGNAL_REDIS instead of --redis */
        Server(boolean fromEnvironment) throws Exception {
            List<String> args = new ArrayList<>(List.of("signal", "--port", "0", "--bind", "127.0.0.1", "--json",
                    "--metrics-port", "0", "--redis-ttl", "2"));
            if (!fromEnvironment) {
                args.addAll(List.of("--redis", redis.url()));
            }
            process = RtcatProcess.start(fromEnvironment ? Map.of(SignalCommand.REDIS_ENV, redis.url()) : Map.of(),
                    null, args.toArray(new String[0]));
            toClose.add(process);
            url = "ws://127.0.0.1:" + process.awaitStdout(PORT, 30) + "/";
            metricsPort = Integer.parseInt(process.awaitStdout(METRICS_PORT, 5));
        }

        SignalingClient join(String room, String user) throws Exception {
            SignalingClient c = SignalingClient.connect(URI.create(url), WAIT);
            toClose.add(c);
            c.join(room, user);
            SignalMessage ack = c.receive(WAIT);
            assertEquals("joined", ack.type(), ack::toString);
            return c;
        }

        String metrics() throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        }
    }

    private Path file(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(tmp.resolve(name), data);
    }

    /** `rtcat receive` on {@code receiveOn}, `rtcat send` on {@code sendOn}, same room; byte-identical. */
    private void transfer(Server sendOn, Server receiveOn, String room, int size) throws Exception {
        Path f = file(room + ".bin", size);
        Path out = Files.createDirectories(tmp.resolve("out-" + room));
        try (RtcatProcess receive = RtcatProcess.start("receive", "--signal", receiveOn.url, "--room", room,
                "--out", out.toString(), "--yes")) {
            receiveOn.process.awaitStderr("(\"receive-[0-9a-f]+\" joined room \"" + room + "\")", 30);
            try (RtcatProcess send = RtcatProcess.start(Map.of(), null, "send", f.toString(), "--signal",
                    sendOn.url, "--room", room, "--timeout", "60")) {
                assertEquals(0, receive.await(90), receive.toString());
                assertEquals(0, send.await(30), send.toString());
                sendOn.process.awaitStderr("(\"send-[0-9a-f]+\" joined room \"" + room + "\")", 5);
            }
        }
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve(room + ".bin")));
    }

    private static SignalMessage expect(SignalingClient c, String type) throws Exception {
        SignalMessage m = c.receive(WAIT);
        assertEquals(type, m.type(), m::toString);
        return m;
    }

    private static void relays(SignalingClient from, SignalingClient to, String fromId) throws Exception {
        from.send(SignalMessage.of("ping").with("n", System.nanoTime()));
        assertEquals(fromId, expect(to, "ping").sender());
    }

    @Test
    void peersOnTwoServersCompleteARealTransfer() throws Exception {
        Server one = new Server();
        Server two = new Server(true);
        assertTrue(one.process.stderr().contains("shared through " + redis.url()), one.process.stderr());
        assertTrue(two.process.stderr().contains("shared through " + redis.url()), two.process.stderr());
        transfer(one, two, "across", 3 * 1024 * 1024 + 7);
        String m = one.metrics();
        assertTrue(m.contains("\nrtcat_signal_redis_up 1\n"), m);
    }

    @Test
    void killingOneServerDropsOnlyItsOwnClients() throws Exception {
        Server one = new Server();
        Server two = new Server();
        SignalingClient x = two.join("pair", "x");
        SignalingClient y = two.join("pair", "y");
        expect(x, "user-joined");
        SignalingClient near = two.join("split", "near");
        SignalingClient far = one.join("split", "far");
        assertEquals("far", expect(near, "user-joined").userId());
        relays(far, near, "far");

        one.process.close(); // SIGKILL: no clean-up, its members stay in Redis until their TTL (2 s) runs out
        var closed = far.whenClosed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(closed.code() != 1000, "the killed server's client was dropped: " + closed);
        // The pair on the surviving server goes on, and its member of the split room hears that far left.
        relays(x, y, "x");
        relays(y, x, "y");
        assertEquals("far", expect(near, "user-left").userId());
        // Joins on the survivor work, including far's id and room slot.
        SignalingClient again = two.join("split", "far");
        assertEquals("far", expect(near, "user-joined").userId());
        relays(again, near, "far");
    }

    @Test
    void afterARedisRestartTheServersReconnectAndNewJoinsWork() throws Exception {
        Server one = new Server();
        Server two = new Server();
        SignalingClient a = one.join("local", "a");
        SignalingClient b = one.join("local", "b");
        expect(a, "user-joined");

        redis.kill();
        for (Server s : List.of(one, two)) {
            s.process.awaitStderr("(signaling: lost redis at " + redis.url() + ")", 15);
        }
        // Local clients are still served while Redis is away.
        relays(a, b, "a");
        relays(b, a, "b");
        String down = one.metrics();
        assertTrue(down.contains("\nrtcat_signal_redis_up 0\n"), down);

        redis.startAgain(); // empty, like a restarted cache without persistence
        for (Server s : List.of(one, two)) {
            s.process.awaitStderr("(signaling: redis at " + redis.url() + " is back)", 30);
        }
        // Members from before the outage were registered again: a newcomer on the other server sees them.
        SignalingClient c = two.join("local", "c");
        assertEquals("c", expect(a, "user-joined").userId());
        relays(c, a, "c");
        assertTrue(one.metrics().contains("\nrtcat_signal_redis_up 1\n"));
        transfer(two, one, "after-restart", 1024 * 1024 + 3);
    }
}
