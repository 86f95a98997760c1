package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rtcat signal} as a user runs it: the shaded jar in its own JVM (it blocks until signalled,
 * so running it in-process would be awkward).
 *
 * <p>Exit codes: SIGTERM ({@link Process#destroy()}) drains the server gracefully (stop accepting, close every
 * room) and exits 0, as systemd expects of a clean stop; the hidden {@code --run-for} exits 0; a busy port
 * exits 69.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalCommandIT {

    private static final Path JAR = Path.of(System.getProperty("rtcat.jar", "target/rtcat.jar"));
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String javaBin() {
        String real = System.getenv("RTCAT_REAL_JAVA");
        return real != null ? real : System.getProperty("java.home") + File.separator + "bin" + File.separator
                + "java";
    }

    private static Process start(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString(), "signal"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().remove(SignalCommand.TOKEN_ENV);
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Reads stdout lines until one parses as a JSON object; bounded by {@code WAIT} (x3 for JVM start). */
    private static JsonNode firstJson(Process p, Path dir) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<JsonNode> doc = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    try {
                        JsonNode n = JSON.readTree(line);
                        if (n != null && n.isObject()) {
                            return n;
                        }
                    } catch (Exception notJson) {
                        // keep reading
                    }
                }
                return null;
            } catch (Exception e) {
                return null;
            }
        });
        try {
            JsonNode n = doc.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            if (n == null) {
                throw new AssertionError("no JSON on stdout; stderr:\n" + Files.readString(dir.resolve("stderr.txt")));
            }
            return n;
        } catch (java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new AssertionError("rtcat signal printed no JSON; stderr:\n"
                    + Files.readString(dir.resolve("stderr.txt")), e);
        }
    }

    private static int exitWithin(Process p, long seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("rtcat signal did not exit within " + seconds + " s");
        }
        return p.exitValue();
    }

    private static void relay(URI uri) throws Exception {
        try (SignalingClient a = SignalingClient.connect(uri, WAIT);
             SignalingClient b = SignalingClient.connect(uri, WAIT)) {
            a.join("cli", "a");
            assertEquals("joined", a.receive(WAIT).type());
            b.join("cli", "b");
            assertEquals("joined", b.receive(WAIT).type());
            assertEquals("user-joined", a.receive(WAIT).type());
            a.send(SignalMessage.of("offer").with("target", "b"));
            SignalMessage got = b.receive(WAIT);
            assertEquals("offer", got.type());
            assertEquals("a", got.get("sender"));
        }
    }

    @Test
    void servesUntilSigtermThenExitsCleanly(@TempDir Path dir) throws Exception {
        Process p = start(dir, Map.of(), "--port", "0", "--bind", "127.0.0.1", "--json");
        try {
            JsonNode doc = firstJson(p, dir);
            int port = doc.get("port").asInt();
            assertTrue(port > 0, doc.toString());
            assertEquals("ws://127.0.0.1:" + port + "/", doc.get("listening").asText());
            relay(URI.create("ws://127.0.0.1:" + port + "/"));

            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            int code = exitWithin(p, 5);
            assertEquals(0, code, "SIGTERM: graceful drain, exit 0");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertTrue(err.contains("rtcat signal: listening on ws://127.0.0.1:" + port + "/ (rooms of up to 8)"),
                    err);
            assertFalse(err.contains("Exception"), err);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void tokenFromEnvironmentIsRequiredAndNeverPrinted(@TempDir Path dir) throws Exception {
        String secret = "env-secret-42";
        Process p = start(dir, Map.of(SignalCommand.TOKEN_ENV, secret), "--port", "0", "--bind", "127.0.0.1",
                "--json", "--run-for", "20");
        try {
            JsonNode doc = firstJson(p, dir);
            int port = doc.get("port").asInt();
            URI base = URI.create("ws://127.0.0.1:" + port + "/");
            try (SignalingClient anon = SignalingClient.connect(base, WAIT)) {
                assertEquals(4401, anon.whenClosed().toCompletableFuture().get(5, TimeUnit.SECONDS).code());
            }
            relay(URI.create(base + "?token=" + secret));
            p.destroy();
            exitWithin(p, 5);
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertTrue(err.contains("token required"), err);
            assertTrue(err.contains("joined room"), "join/leave log lines expected on stderr:\n" + err);
            assertFalse(err.contains(secret), err);
            assertFalse(doc.toString().contains(secret));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void metricsPortServesHealthAndCountsWhatBenchSignalSent(@TempDir Path dir) throws Exception {
        Process p = start(dir, Map.of(), "--port", "0", "--bind", "127.0.0.1", "--json", "--metrics-port", "0",
                "--max-connections-per-ip", "0", "--rate", "0");
        try {
            JsonNode doc = firstJson(p, dir);
            int port = doc.get("port").asInt();
            int metricsPort = doc.get("metrics_port").asInt();
            assertEquals("http://127.0.0.1:" + metricsPort + "/metrics", doc.get("metrics").asText());
            HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/healthz")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());

            CliRun bench = CliRun.of("bench", "signal", "--url", "ws://127.0.0.1:" + port + "/", "--clients", "10",
                    "--messages", "3", "--timeout", "30", "--json");
            assertEquals(0, bench.exitCode(), bench::toString);
            JsonNode result = bench.json();
            assertEquals(10, result.get("connected").asInt(), bench::toString);
            assertEquals(30, result.get("messages_relayed").asInt(), bench::toString);
            assertTrue(result.get("latency_ms").get("p99").asDouble() > 0, bench::toString);

            // Two rounds in one load generator, as scripts/bench-signal runs them: a JSON line each.
            String url = "ws://127.0.0.1:" + port + "/";
            CliRun rounds = CliRun.withInput(url + "\n\n" + url + "\n", "bench", "signal", "--urls-from-stdin",
                    "--clients", "4", "--messages", "2", "--timeout", "30", "--json");
            assertEquals(0, rounds.exitCode(), rounds::toString);
            List<String> lines = rounds.out().lines().toList();
            assertEquals(2, lines.size(), rounds::toString);
            for (String line : lines) {
                JsonNode round = new ObjectMapper().readTree(line);
                assertEquals(url, round.get("url").asText(), line);
                assertEquals(8, round.get("messages_relayed").asInt(), line);
            }

            String metrics = http.send(HttpRequest.newBuilder(URI.create(doc.get("metrics").asText())).timeout(WAIT)
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("\nrtcat_signal_messages_relayed_total 46\n"), metrics);
            assertTrue(metrics.contains("\nrtcat_signal_connections_total 18\n"), metrics);
            assertTrue(metrics.contains("\nrtcat_signal_relay_seconds_count 46\n"), metrics);
            p.destroy();
            assertEquals(0, exitWithin(p, 10));
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertTrue(err.contains("rtcat signal: metrics on http://127.0.0.1:" + metricsPort + "/metrics"), err);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void runForStopsByItselfWithExitZero(@TempDir Path dir) throws Exception {
        Process p = start(dir, Map.of(), "--port", "0", "--bind", "127.0.0.1", "--json", "--run-for", "1");
        try {
            firstJson(p, dir);
            assertEquals(0, exitWithin(p, 10), () -> readQuietly(dir.resolve("stderr.txt")));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void busyPortExits69WithOneLine(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();
            Process p = start(dir, Map.of(), "--port", String.valueOf(port), "--bind", "127.0.0.1");
            try {
                assertEquals(69, exitWithin(p, 20));
                String err = Files.readString(dir.resolve("stderr.txt"));
                List<String> rtcatLines = err.lines().filter(l -> l.startsWith("rtcat: ")).toList();
                assertEquals(1, rtcatLines.size(), err);
                assertTrue(rtcatLines.get(0).contains("127.0.0.1:" + port), err);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void usageErrorsExit2(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        for (List<String> args : List.of(List.of("--tls-cert", cert.toString()),
                List.of("--max-message-size", "12"), List.of("--rate", "-1"), List.of("--metrics-port", "70000"),
                List.of("--metrics-port", "0", "--metrics-bind", "no.such.host.invalid"),
                List.of("--tls-cert", cert.toString(), "--tls-key", dir.resolve("missing.pem").toString()))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--port", "0", "--bind", "127.0.0.1", "--run-for", "0"));
            Process p = start(dir, Map.of(), all.toArray(new String[0]));
            try {
                assertEquals(2, exitWithin(p, 20), () -> args + ": " + readQuietly(dir.resolve("stderr.txt")));
                String err = readQuietly(dir.resolve("stderr.txt"));
                assertEquals(1, err.lines().filter(l -> l.startsWith("rtcat: ")).count(), err);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
