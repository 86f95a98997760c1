package io.rtcat.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Load test for a signaling server: opens {@code clients} WebSocket clients (the JDK's
 * {@code java.net.http} client, all on one selector thread), two per room, and lets every pair play
 * ping-pong with offer/answer-sized (~3 KB) and then candidate-sized (~200 B) messages addressed to
 * each other: a message is sent when the previous one arrived, so each pair always has one message
 * in flight and all pairs run at once. Each message carries the sender's {@link System#nanoTime()};
 * the receiving client (same JVM) records the one-way latency through the server. With a
 * {@link Settings#pace()} each client waits that long before answering, so the load is that of many
 * ordinary sessions rather than a flood (the pairs' first messages are spread over one pace interval).
 *
 * <p>Every wait is bounded by {@link Settings#timeout()}.
 */
public final class SignalLoadTest {

    /**
     * @param url                 ws:// URL of the server (a query such as ?token= is kept)
     * @param clients             WebSocket clients, an even number; rooms are clients / 2
     * @param messages            messages each client sends (the first is offer- or answer-sized)
     * @param connectConcurrency  handshakes in flight at once
     * @param pace                think time: how long a client waits after a message arrives before it
     *                            answers (zero: at once, which saturates the server)
     * @param timeout             longest the connect phase, and again the relay phase, may take
     */
    public record Settings(URI url, int clients, int messages, int connectConcurrency, Duration pace,
                           Duration timeout) {
        public Settings {
            Objects.requireNonNull(pace, "pace");
            if (pace.isNegative()) {
                throw new IllegalArgumentException("pace must not be negative: " + pace);
            }
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(timeout, "timeout");
            if (clients < 2 || clients % 2 != 0) {
                throw new IllegalArgumentException("clients must be an even number of at least 2: " + clients);
            }
            if (messages < 1) {
                throw new IllegalArgumentException("messages must be at least 1: " + messages);
            }
            if (connectConcurrency < 1) {
                throw new IllegalArgumentException("connect concurrency must be at least 1: " + connectConcurrency);
            }
        }
    }

    /**
     * @param connected        clients that opened and joined their room
     * @param connectNanos     from the first handshake until every client had joined (or gave up)
     * @param expected         messages that should have been relayed (clients x messages)
     * @param received         messages that arrived at their target
     * @param relayNanos       from the first message until the last one arrived (or the timeout)
     * @param latencyNanos     one-way latency of each received message, sorted ascending
     * @param errors           error messages, unexpected closes and failed sends seen by clients
     * @param firstError       a description of the first error, or null
     */
    public record Result(int clients, int connected, long connectNanos, long expected, long received,
                         long relayNanos, long[] latencyNanos, long errors, String firstError) {

        /** The q-quantile (0 < q <= 1) of the latencies in nanoseconds, nearest rank; 0 without samples. */
        public long percentileNanos(double q) {
            if (latencyNanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * latencyNanos.length);
            return latencyNanos[Math.min(latencyNanos.length, Math.max(1, rank)) - 1];
        }

        public long maxNanos() {
            return latencyNanos.length == 0 ? 0 : latencyNanos[latencyNanos.length - 1];
        }

        /** Messages per second over the relay phase. */
        public double messagesPerSecond() {
            return relayNanos <= 0 ? 0 : received * 1e9 / relayNanos;
        }

        public boolean complete() {
            return connected == clients && received == expected && errors == 0;
        }
    }

    static final int OFFER_BYTES = 3000;
    static final int CANDIDATE_BYTES = 200;
    private static final long CLOSE_WAIT_MILLIS = 3000;
    private static final String TIME_FIELD = ",\"t\":";
    private static final String SEQ_FIELD = ",\"seq\":";
    /** Relayed messages keep our field order: type first, then target. */
    private static final String RELAYED_PREFIX = "{\"type\":\"";

    /** The non-negative integer right after {@code field} in {@code text}, or Long.MIN_VALUE / -1 if absent. */
    static long numberAfter(String text, String field) {
        int at = text.indexOf(field);
        if (at < 0) {
            return field.equals(TIME_FIELD) ? Long.MIN_VALUE : -1;
        }
        int i = at + field.length();
        boolean negative = i < text.length() && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && digits < 19) {
            v = v * 10 + (text.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0) {
            return field.equals(TIME_FIELD) ? Long.MIN_VALUE : -1;
        }
        return negative ? -v : v;
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final String runId = Long.toString(System.nanoTime() & 0xffffff, 36);
    private final String offerPad = "x".repeat(OFFER_BYTES);
    private final String candidatePad = "x".repeat(CANDIDATE_BYTES);
    private final long[] latencies;
    private final AtomicInteger latencyCount = new AtomicInteger();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final CountDownLatch pairsDone;
    private volatile boolean finishing;
    private volatile ScheduledExecutorService timer;

    private SignalLoadTest(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        this.latencies = new long[Math.multiplyExact(settings.clients(), settings.messages())];
        this.pairsDone = new CountDownLatch(settings.clients() / 2);
    }

    /**
     * Runs the test against a server that is already listening.
     *
     * @param progress one-line notes on the phases (for stderr)
     * @throws RtcatException INTERRUPTED if interrupted; an unreachable server is reported in the result
     *                        (connected 0, firstError)
     */
    public static Result run(Settings settings, Consumer<String> progress) throws RtcatException {
        return new SignalLoadTest(settings, progress).execute();
    }

    private Result execute() throws RtcatException {
        ExecutorService executor = Executors.newFixedThreadPool(2, Threads.named("rtcat-bench-signal"));
        ScheduledExecutorService timer = Threads.scheduler("rtcat-bench-signal-pace");
        this.timer = timer;
        HttpClient http = HttpClient.newBuilder().executor(executor)
                .connectTimeout(settings.timeout()).build();
        List<Client> clients = new ArrayList<>(settings.clients());
        try {
            for (int pair = 0; pair < settings.clients() / 2; pair++) {
                String room = "bench-" + runId + "-" + pair;
                Client a = new Client(room, "a", "b");
                Client b = new Client(room, "b", "a");
                a.peer = b;
                b.peer = a;
                clients.add(a);
                clients.add(b);
            }
            long connectStart = System.nanoTime();
            int connected = connectAll(http, clients, connectStart + settings.timeout().toNanos());
            long connectNanos = System.nanoTime() - connectStart;
            progress.accept(String.format(java.util.Locale.ROOT, "%d of %d clients connected and joined in %.2f s",
                    connected, clients.size(), connectNanos / 1e9));
            long relayStart = System.nanoTime();
            long relayNanos = 0;
            if (connected == clients.size()) {
                long pairs = clients.size() / 2;
                for (int i = 0; i < clients.size(); i += 2) {
                    Client first = clients.get(i);
                    if (settings.pace().isZero()) {
                        first.sendNext(0);
                    } else {
                        // Spread the pairs' starts over one pace interval, so the load is even, not in waves.
                        long offset = settings.pace().toNanos() * (i / 2) / pairs;
                        timer.schedule(() -> first.sendNext(0), offset, TimeUnit.NANOSECONDS);
                    }
                }
                if (!pairsDone.await(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    fail("relay phase did not finish within " + settings.timeout().toSeconds() + " s");
                }
                relayNanos = System.nanoTime() - relayStart;
            }
            finishing = true;
            int n = Math.min(latencyCount.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return new Result(clients.size(), connected, connectNanos, latencies.length, n, relayNanos, sorted,
                    errors.get(), firstError.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted during the signaling benchmark");
        } finally {
            finishing = true;
            timer.shutdownNow();
            closeAll(clients);
            executor.shutdownNow();
        }
    }

    /** Opens and joins every client, at most {@code connectConcurrency} handshakes at a time. */
    private int connectAll(HttpClient http, List<Client> clients, long deadline) throws InterruptedException {
        Semaphore slots = new Semaphore(settings.connectConcurrency());
        for (Client c : clients) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                fail("connecting took longer than " + settings.timeout().toSeconds() + " s");
                break;
            }
            c.joined.whenComplete((v, e) -> slots.release());
            http.newWebSocketBuilder().connectTimeout(settings.timeout())
                    .buildAsync(settings.url(), c)
                    .whenComplete((ws, e) -> {
                        if (e != null) {
                            c.joined.completeExceptionally(e);
                            fail("cannot connect to " + settings.url() + ": " + rootMessage(e));
                        }
                    });
        }
        int ok = 0;
        for (Client c : clients) {
            long left = deadline - System.nanoTime();
            try {
                c.joined.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                ok++;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // counted as not connected; the first failure is in firstError
            }
        }
        if (ok < clients.size() && firstError.get() == null) {
            fail((clients.size() - ok) + " clients did not join within " + settings.timeout().toSeconds() + " s");
        }
        return ok;
    }

    private void closeAll(List<Client> clients) {
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (Client c : clients) {
            WebSocket ws = c.ws;
            if (ws != null && c.sendChain != null && !ws.isOutputClosed()) {
                closing.add(c.sendChain.thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
                        .toCompletableFuture().exceptionally(e -> null));
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // abort below
        }
        for (Client c : clients) {
            if (c.ws != null) {
                c.ws.abort();
            }
        }
    }

    private void fail(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }

    /** The first informative exception under the future wrappers, as "message" or its class name. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** One WebSocket client; callbacks run one at a time per client (java.net.http guarantees it). */
    private final class Client implements WebSocket.Listener {
        final String room;
        final String userId;
        final String peerId;
        Client peer;
        volatile WebSocket ws;
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        /** Sends are chained: java.net.http allows one outstanding send per socket. */
        volatile CompletionStage<WebSocket> sendChain;
        private final StringBuilder partial = new StringBuilder();

        Client(String room, String userId, String peerId) {
            this.room = room;
            this.userId = userId;
            this.peerId = peerId;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            ObjectNode join = Json.object();
            join.put("type", SignalMessage.JOIN);
            join.put("room", room);
            join.put("userId", userId);
            sendChain = webSocket.sendText(Json.write(join), true);
            sendChain.whenComplete((w, e) -> {
                if (e != null) {
                    joined.completeExceptionally(e);
                }
            });
            webSocket.request(1);
        }

        /** Sends message number {@code seq} of this pair to the peer, stamped with the time now. */
        synchronized void sendNext(int seq) {
            String type = seq == 0 ? "offer" : seq == 1 ? "answer" : "ice-candidate";
            String pad = seq < 2 ? offerPad : candidatePad;
            // Built by hand: the load generator shares the CPU with the server, so it should stay cheap.
            String head = "{\"type\":\"" + type + "\",\"target\":\"" + peerId + "\",\"seq\":" + seq
                    + ",\"pad\":\"" + pad + "\",\"t\":";
            sendChain = sendChain.thenCompose(w -> w.sendText(head + System.nanoTime() + "}", true));
            sendChain.whenComplete((w, e) -> {
                if (e != null && !finishing) {
                    fail("send failed for " + room + "/" + userId + ": " + rootMessage(e));
                }
            });
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(text);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text) {
            long now = System.nanoTime();
            long sentAt = numberAfter(text, TIME_FIELD);
            long n = numberAfter(text, SEQ_FIELD);
            if (sentAt != Long.MIN_VALUE && n >= 0 && n < Integer.MAX_VALUE && text.startsWith(RELAYED_PREFIX)) {
                relayed(now, sentAt, (int) n); // our own message, relayed: skip the JSON parser
                return;
            }
            JsonNode m;
            try {
                m = Json.read(text);
            } catch (JsonProcessingException e) {
                fail("malformed message from the server: " + Json.describe(e));
                return;
            }
            String type = m.path("type").asText("");
            switch (type) {
                case SignalMessage.JOINED -> joined.complete(null);
                case SignalMessage.USER_JOINED, SignalMessage.USER_LEFT -> { }
                case SignalMessage.ERROR -> {
                    String err = "server error " + m.path("code").asText() + ": " + m.path("message").asText();
                    joined.completeExceptionally(new IllegalStateException(err));
                    fail(err);
                }
                default -> {
                    JsonNode t = m.get("t");
                    int seq = m.path("seq").asInt(-1);
                    if (t == null || seq < 0) {
                        fail("unexpected message " + type);
                        return;
                    }
                    relayed(now, t.asLong(), seq);
                }
            }
        }

        /** A message of this pair arrived: record its latency and answer it (or finish the pair). */
        private void relayed(long now, long sentAt, int seq) {
            int i = latencyCount.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = now - sentAt;
            }
            int next = seq + 1;
            if (next >= 2 * settings.messages()) {
                pairsDone.countDown();
            } else if (settings.pace().isZero()) {
                sendNext(next);
            } else {
                try {
                    timer.schedule(() -> sendNext(next), settings.pace().toNanos(), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // shutting down after the timeout
                }
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!finishing) {
                joined.completeExceptionally(new IllegalStateException("closed " + statusCode));
                fail("server closed " + room + "/" + userId + " with " + statusCode
                        + (reason == null || reason.isEmpty() ? "" : " " + reason));
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!finishing) {
                joined.completeExceptionally(error);
                fail("connection error for " + room + "/" + userId + ": " + rootMessage(error));
            }
        }
    }
}
