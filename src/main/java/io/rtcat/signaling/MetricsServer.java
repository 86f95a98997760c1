package io.rtcat.signaling;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A tiny HTTP endpoint (the JDK's {@code com.sun.net.httpserver}) next to a {@link SignalingServer}:
 * <ul>
 * <li>{@code GET /healthz}: 200 {@code ok} while the signaling server runs and is healthy, 503
 *     {@code stopping} once it is closing, 503 with one line on what is wrong under heap pressure or when
 *     relaying has stalled ({@link ServerHealth});</li>
 * <li>{@code GET /metrics}: {@link MetricsText} (Prometheus text format 0.0.4).</li>
 * </ul>
 * Other paths give 404, other methods 405. Requests are served one at a time on a daemon thread.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MetricsServer.class.getName());

    private final HttpServer http;
    private final ExecutorService executor;
    private final SignalingServer signaling;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsServer(HttpServer http, ExecutorService executor, SignalingServer signaling) {
        this.http = http;
        this.executor = executor;
        this.signaling = signaling;
    }

    /**
     * Listens on {@code bind} (port 0 picks a free one) and serves the metrics of {@code signaling}.
     *
     * @throws RtcatException UNAVAILABLE if the address cannot be bound
     */
    public static MetricsServer start(InetSocketAddress bind, SignalingServer signaling) throws RtcatException {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(signaling, "signaling");
        String where = bind.getHostString() + ":" + bind.getPort();
        HttpServer http;
        try {
            http = HttpServer.create(bind, 16);
        } catch (IOException | RuntimeException e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot listen for metrics on " + where
                    + ": " + cause.toLowerCase(Locale.ROOT), "choose another --metrics-port", e);
        }
        ExecutorService executor = Threads.serial("rtcat-signaling-metrics");
        MetricsServer server = new MetricsServer(http, executor, signaling);
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        http.start();
        LOG.fine(() -> "metrics listening on " + server.uri());
        return server;
    }

    /** The port actually listened on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port/} (a wildcard address shown as loopback). */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        try {
            return new URI("http", null, host, a.getPort(), "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot form metrics url for " + a, e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            boolean known = path.equals("/healthz") || path.equals("/metrics");
            if (!known) {
                reply(ex, 404, "text/plain; charset=utf-8", "not found: try /metrics or /healthz\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
            } else if (path.equals("/healthz")) {
                ServerHealth.Verdict v = signaling.isRunning() ? signaling.health().check()
                        : new ServerHealth.Verdict(false, "stopping");
                reply(ex, v.ok() ? 200 : 503, "text/plain; charset=utf-8", v.detail() + "\n");
            } else {
                String text = MetricsText.render(signaling.connectionCount(), signaling.roomCount(),
                        signaling.metrics(), signaling.redisUp());
                reply(ex, 200, MetricsText.CONTENT_TYPE, text);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "metrics: error answering a request", e);
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening at once; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.stop(0);
        executor.shutdownNow();
    }
}
