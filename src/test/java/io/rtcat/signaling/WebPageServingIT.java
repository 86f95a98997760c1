package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page served on the signaling port by a real server on a real socket, next to working WebSockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebPageServingIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private SignalingServer server;
    private URI http;

    @BeforeEach
    void start() throws Exception {
        server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, WAIT);
        http = URI.create("http://127.0.0.1:" + server.port() + "/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends raw bytes in pieces and reads the whole answer (the server closes after it). */
    private String raw(int pauseMillis, String... pieces) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            for (String p : pieces) {
                out.write(p.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(pauseMillis);
            }
            long sent = System.nanoTime();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            // The server closes right after the answer (not at its 10 s handshake timeout).
            assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(3), "connection left open");
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void browsersGetThePageAndWebSocketsStillWorkOnTheSamePort() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(http).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"pake.js\"></script>"), page.body());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElse(""));
        assertTrue(page.headers().firstValue("content-security-policy").orElse("").startsWith("default-src 'none'"));
        HttpResponse<String> script = client.send(HttpRequest.newBuilder(http.resolve("/transfer.js")).timeout(WAIT)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("manifest-ack"));
        assertEquals(404, client.send(HttpRequest.newBuilder(http.resolve("/metrics")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        try (SignalingClient a = SignalingClient.connect(server.uri(), WAIT);
                SignalingClient b = SignalingClient.connect(server.uri(), WAIT)) {
            java.util.concurrent.BlockingQueue<SignalMessage> got = new java.util.concurrent.LinkedBlockingQueue<>();
            b.setListener(new SignalingClient.Listener() {
                @Override
                public void onMessage(SignalMessage m) {
                    got.add(m);
                }

                @Override
                public void onClosed(int code, String reason) {
                }
            });
            a.join("web", "a");
            b.join("web", "b");
            // The two joins run on different connections: relay to b only once the server has b in the room.
            SignalMessage joined;
            do {
                joined = got.poll(10, TimeUnit.SECONDS);
            } while (joined != null && !joined.type().equals("joined"));
            assertEquals("joined", joined == null ? null : joined.type());
            a.send(SignalMessage.of("hello").withTarget("b"));
            SignalMessage m;
            do {
                m = got.poll(10, TimeUnit.SECONDS);
            } while (m != null && !m.type().equals("hello"));
            assertEquals("a", m == null ? null : m.sender());
        }
    }

    @Test
    void aRequestInPiecesIsReadWholeAndNothingElseIsServed() throws Exception {
        String answer = raw(50, "GE", "T /app.js HT", "TP/1.1\r\nHost: x\r\n", "\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.contains("\r\nContent-Type: text/javascript; charset=utf-8\r\n"), answer);
        assertTrue(raw(0, "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 404 "));
        assertTrue(raw(0, "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 405 "));
        assertTrue(raw(0, "nonsense\r\n\r\n").startsWith("HTTP/1.1 400 "));
        String head = raw(0, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.endsWith("\r\n\r\n"), head);
        String huge = raw(0, "GET / HTTP/1.1\r\nX-Pad: " + "a".repeat(PageServingFactory.MAX_HEADER_BYTES) + "\r\n");
        assertTrue(huge.startsWith("HTTP/1.1 431 "), huge);
        // Each answer is counted by status (the raw socket reads to the end, so the count is in before it).
        assertEquals(java.util.Map.of(200, 2L, 400, 1L, 404, 1L, 405, 1L, 431, 1L), server.metrics().pageRequests());
        assertTrue(MetricsText.render(0, 0, server.metrics()).contains("rtcat_signal_page_requests_total{status=\"200\"} 2\n"));
    }
}
