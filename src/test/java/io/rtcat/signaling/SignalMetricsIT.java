package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real server with metrics on random loopback ports: relayed messages, two kinds of rejections and the
 * gauges show up in /metrics; /healthz says ok while running and 503 once the server is closing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(15); // generous: a shared CI machine can stall for seconds
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String TOKEN = "metrics-secret";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    private SignalingClient joined(URI uri, String room, String user) throws RtcatException {
        SignalingClient c = closeLater(SignalingClient.connect(uri, WAIT));
        c.join(room, user);
        assertEquals("joined", c.receive(WAIT).type());
        return c;
    }

    private HttpResponse<String> get(MetricsServer m, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(m.uri().resolve(path)).timeout(WAIT).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line, e.g. {@code rtcat_signal_rooms} or {@code x{reason="idle"}}. */
    private static long sample(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Long.parseLong(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in\n" + text);
    }

    private static String rejections(String reason) {
        return "rtcat_signal_rejections_total{reason=\"" + reason + "\"}";
    }

    /** Polls /metrics until {@code series} reaches {@code expected} (closes are counted asynchronously). */
    private String awaitSample(MetricsServer m, String series, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String text = get(m, "/metrics").body();
            long v = sample(text, series);
            if (v == expected) {
                return text;
            }
            assertTrue(System.nanoTime() < deadline, series + " is " + v + ", expected " + expected + ":\n" + text);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll interval
        }
    }

    private static int closeCode(SignalingClient c) throws Exception {
        try {
            return c.whenClosed().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).code();
        } catch (TimeoutException e) {
            throw new AssertionError("connection still open after " + WAIT, e);
        }
    }

    @Test
    void countsConnectionsRelaysAndRejections() throws Exception {
        SignalingServer server = closeLater(SignalingServer.start(new InetSocketAddress(LOOPBACK, 0),
                ServerOptions.defaults().withToken(TOKEN).withMaxMessageBytes(4096), WAIT));
        MetricsServer metrics = closeLater(MetricsServer.start(new InetSocketAddress(LOOPBACK, 0), server));
        assertTrue(metrics.port() > 0 && metrics.port() != server.port());

        HttpResponse<String> health = get(metrics, "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());

        URI good = URI.create(server.uri() + "?token=" + TOKEN);
        SignalingClient alice = joined(good, "room-1", "alice");
        SignalingClient bob = joined(good, "room-1", "bob");
        assertEquals("user-joined", alice.receive(WAIT).type());
        for (int i = 0; i < 3; i++) {
            alice.send(SignalMessage.of("offer").with("target", "bob").with("n", String.valueOf(i)));
            assertEquals("offer", bob.receive(WAIT).type());
        }
        bob.send(SignalMessage.of("answer").with("target", "alice"));
        assertEquals("answer", alice.receive(WAIT).type());

        // Rejection 1: wrong token (4401).
        SignalingClient intruder = closeLater(SignalingClient.connect(URI.create(server.uri() + "?token=guess"), WAIT));
        assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, closeCode(intruder));
        // Rejection 2: malformed JSON (error, connection stays).
        alice.sendRaw("{not json");
        assertEquals(SignalingProtocol.ERR_BAD_JSON, alice.receive(WAIT).code());
        // Rejection 3: a message over --max-message-size (1009) from a third member of the room.
        SignalingClient big = joined(good, "room-2", "big");
        big.sendRaw("{\"type\":\"offer\",\"pad\":\"" + "x".repeat(8192) + "\"}");
        assertEquals(SignalingProtocol.CLOSE_MESSAGE_TOO_BIG, closeCode(big));

        String text = awaitSample(metrics, rejections(ServerMetrics.MESSAGE_TOO_BIG), 1);
        text = awaitSample(metrics, "rtcat_signal_connections", 2); // the 1009 close is seen asynchronously
        assertEquals(1, sample(text, rejections(ServerMetrics.UNAUTHORIZED)));
        assertEquals(1, sample(text, rejections(SignalingProtocol.ERR_BAD_JSON)));
        assertEquals(0, sample(text, rejections(ServerMetrics.IDLE)));
        assertEquals(4, sample(text, "rtcat_signal_connections_total")); // alice, bob, intruder, big
        assertEquals(1, sample(text, "rtcat_signal_rooms"));              // room-2 emptied when big was closed
        assertEquals(4, sample(text, "rtcat_signal_messages_relayed_total"));
        assertEquals(4, sample(text, "rtcat_signal_relay_seconds_count"));
        assertEquals(4, sample(text, "rtcat_signal_relay_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(4, sample(text, "rtcat_signal_relay_seconds_bucket{le=\"1\"}"));
        assertTrue(text.contains("# TYPE rtcat_signal_relay_seconds histogram\n"), text);

        HttpResponse<String> scrape = get(metrics, "/metrics");
        assertEquals(200, scrape.statusCode());
        assertEquals(MetricsText.CONTENT_TYPE, scrape.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, get(metrics, "/nothing-here").statusCode());

        // Once the signaling server is closing, health fails while metrics are still served.
        server.close();
        HttpResponse<String> down = get(metrics, "/healthz");
        assertEquals(503, down.statusCode());
        assertEquals("stopping\n", down.body());
    }

    @Test
    void bindFailureIsUnavailable() throws Exception {
        SignalingServer server = closeLater(SignalingServer.start(new InetSocketAddress(LOOPBACK, 0), null, WAIT));
        MetricsServer first = closeLater(MetricsServer.start(new InetSocketAddress(LOOPBACK, 0), server));
        RtcatException e = assertThrows(RtcatException.class,
                () -> MetricsServer.start(new InetSocketAddress(LOOPBACK, first.port()), server));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("cannot listen for metrics on"), e.getMessage());
    }
}
