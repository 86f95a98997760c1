package io.rtcat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.signaling.LostWriteRepair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A man in the middle for tests: a WebSocket proxy in front of a real signaling server. What a client sends
 * goes upstream unchanged; what the server sends a client passes through a {@link Delivery} first, e.g. one
 * that rewrites the DTLS fingerprints (as a malicious server would) or one that reorders two messages.
 */
public final class SignalingProxy extends WebSocketServer implements AutoCloseable {

    /** What one client gets of the messages the server sends it; one instance per client, called in order. */
    public interface Delivery {
        List<String> deliver(String message);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINGERPRINT = Pattern.compile("(a=fingerprint:sha-256 )([0-9A-F]{2})");

    private final URI upstream;
    private final Supplier<Delivery> deliveries;
    private final Map<WebSocket, Upstream> links = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final AtomicInteger changed;
    private final LostWriteRepair lostWrites = LostWriteRepair.of(this);

    private SignalingProxy(URI upstream, AtomicInteger changed, Supplier<Delivery> deliveries) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.upstream = upstream;
        this.changed = changed;
        this.deliveries = deliveries;
        setDaemon(true);
        setReuseAddr(true);
    }

    /** @param changed counted up by the deliveries for each message they change or reorder */
    private static SignalingProxy start(URI upstream, AtomicInteger changed, Supplier<Delivery> deliveries)
            throws Exception {
        SignalingProxy proxy = new SignalingProxy(upstream, changed, deliveries);
        proxy.start();
        proxy.started.get(10, TimeUnit.SECONDS);
        return proxy;
    }

    /** Flips the first byte of every fingerprint in the offers and answers clients receive. */
    public static SignalingProxy swappingFingerprints(URI upstream) throws Exception {
        AtomicInteger changed = new AtomicInteger();
        return start(upstream, changed, () -> message -> List.of(swapFingerprints(message, changed)));
    }

    /**
     * Holds the PAKE's last round (step 3) until the next message for the same client (the peer's offer) and
     * delivers that one first. The server never reorders, but the effect is what a busy machine produces: the
     * client's peer, done with its PAKE first, sends its offer while the client still computes the last round.
     */
    public static SignalingProxy overtakingTheLastPakeRound(URI upstream) throws Exception {
        AtomicInteger changed = new AtomicInteger();
        return start(upstream, changed, () -> new Delivery() {
            private String held;

            @Override
            public List<String> deliver(String message) {
                if (held != null) {
                    List<String> swapped = List.of(message, held);
                    held = null;
                    changed.incrementAndGet();
                    return swapped;
                }
                if (isLastPakeRound(message)) {
                    held = message;
                    return List.of();
                }
                return List.of(message);
            }
        });
    }

    /**
     * Never delivers the PAKE's last round (step 3) to its client: the client stays in the code exchange, with
     * both sides met, for as long as a test needs (to interrupt one side there).
     */
    public static SignalingProxy holdingTheLastPakeRound(URI upstream) throws Exception {
        AtomicInteger changed = new AtomicInteger();
        return start(upstream, changed, () -> message -> {
            if (isLastPakeRound(message)) {
                changed.incrementAndGet();
                return List.of();
            }
            return List.of(message);
        });
    }

    /** Drops the server's {@code joined}: a server like the common tutorial one, which never acknowledges. */
    public static SignalingProxy droppingJoined(URI upstream) throws Exception {
        AtomicInteger changed = new AtomicInteger();
        return start(upstream, changed, () -> message -> {
            if (hasType(message, "joined")) {
                changed.incrementAndGet();
                return List.of();
            }
            return List.of(message);
        });
    }

    private static boolean hasType(String message, String type) {
        try {
            return JSON.readTree(message).path("type").asText().equals(type);
        } catch (Exception e) {
            return false;
        }
    }

    /** How many messages the proxy changed (or reordered) so far. */
    public int changed() {
        return changed.get();
    }

    @Override
    public void onStart() {
        started.complete(getPort());
    }

    /** One client's link to the real server. */
    private static final class Upstream extends WebSocketClient {
        private static final ByteBuffer CLOSING = ByteBuffer.wrap(new byte[] {'b', 'y', 'e'});
        private final WebSocket conn;
        private final Delivery delivery;
        private final CompletableFuture<Void> flushed = new CompletableFuture<>();

        Upstream(URI upstream, WebSocket conn, Delivery delivery) {
            super(upstream);
            this.conn = conn;
            this.delivery = delivery;
            setDaemon(true);
        }

        /**
         * Closes once the server has handled what the client sent before its close (it answers the ping after
         * them): Java-WebSocket's close alone can drop queued frames (see SignalingClient.flush), and the client's
         * last message, e.g. its cancel, must reach the server as it would without the proxy.
         */
        void closeAfterFlush() {
            Thread closer = new Thread(() -> {
                try {
                    PingFrame ping = new PingFrame();
                    ping.setPayload(CLOSING.duplicate());
                    sendFrame(ping);
                    flushed.get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // closed already, or no answer: close anyway
                }
                close();
            }, "proxy-close");
            closer.setDaemon(true);
            closer.start();
        }

        @Override
        public void onOpen(ServerHandshake h) {
        }

        @Override
        public void onMessage(String message) {
            for (String m : delivery.deliver(message)) {
                if (conn.isOpen()) {
                    conn.send(m);
                }
            }
        }

        @Override
        public void onWebsocketPong(WebSocket ws, Framedata frame) {
            if (CLOSING.equals(frame.getPayloadData())) {
                flushed.complete(null);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            flushed.complete(null);
            conn.close();
        }

        @Override
        public void onError(Exception ex) {
        }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Upstream client = new Upstream(upstream, conn, deliveries.get());
        try {
            if (!client.connectBlocking(5, TimeUnit.SECONDS)) {
                conn.close();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conn.close();
            return;
        }
        links.put(conn, client);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        WebSocketClient client = links.get(conn);
        if (client != null) {
            client.send(message);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Upstream client = links.remove(conn);
        if (client != null) {
            client.closeAfterFlush();
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        started.completeExceptionally(ex);
    }

    private static boolean isLastPakeRound(String message) {
        try {
            var node = JSON.readTree(message);
            return node.path("type").asText().equals("pake") && node.path("step").asText().equals("3");
        } catch (Exception e) {
            return false;
        }
    }

    private static String swapFingerprints(String message, AtomicInteger changed) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(message);
            String type = node.path("type").asText();
            if ((type.equals("offer") || type.equals("answer")) && node.has("sdp")) {
                ObjectNode sdp = (ObjectNode) node.get("sdp");
                String text = sdp.get("sdp").asText();
                String swapped = FINGERPRINT.matcher(text).replaceAll(m -> m.group(1)
                        + (m.group(2).equals("00") ? "FF" : "00"));
                if (!swapped.equals(text)) {
                    changed.incrementAndGet();
                }
                sdp.put("sdp", swapped);
                return JSON.writeValueAsString(node);
            }
            return message;
        } catch (Exception e) {
            return message;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (WebSocketClient c : links.values()) {
            c.close();
        }
        stop(2000);
        lostWrites.close();
    }
}
