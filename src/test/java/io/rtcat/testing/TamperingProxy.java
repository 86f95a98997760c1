package io.rtcat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A man in the middle for tests: a WebSocket proxy in front of a real signaling server that relays
 * everything but rewrites the DTLS fingerprints in offers and answers, as a malicious signaling
 * server would to put its own certificates in between.
 */
public final class TamperingProxy extends WebSocketServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINGERPRINT = Pattern.compile("(a=fingerprint:sha-256 )([0-9A-F]{2})");

    private final URI upstream;
    private final Map<WebSocket, WebSocketClient> links = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final AtomicInteger tampered = new AtomicInteger();

    private TamperingProxy(URI upstream) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.upstream = upstream;
        setDaemon(true);
        setReuseAddr(true);
    }

    public static TamperingProxy start(URI upstream) throws Exception {
        TamperingProxy proxy = new TamperingProxy(upstream);
        proxy.start();
        proxy.started.get(10, TimeUnit.SECONDS);
        return proxy;
    }

    /** How many descriptions were rewritten so far. */
    public int tampered() {
        return tampered.get();
    }

    @Override
    public void onStart() {
        started.complete(getPort());
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        WebSocketClient client = new WebSocketClient(upstream) {
            @Override
            public void onOpen(ServerHandshake h) {
            }

            @Override
            public void onMessage(String message) {
                if (conn.isOpen()) {
                    conn.send(rewrite(message));
                }
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                conn.close();
            }

            @Override
            public void onError(Exception ex) {
            }
        };
        client.setDaemon(true);
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
            client.send(rewrite(message));
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        WebSocketClient client = links.remove(conn);
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        started.completeExceptionally(ex);
    }

    /** Flips the first byte of every fingerprint in offers and answers. */
    private String rewrite(String message) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(message);
            String type = node.path("type").asText();
            if ((type.equals("offer") || type.equals("answer")) && node.has("sdp")) {
                ObjectNode sdp = (ObjectNode) node.get("sdp");
                String text = sdp.get("sdp").asText();
                String changed = FINGERPRINT.matcher(text).replaceAll(m -> m.group(1)
                        + (m.group(2).equals("00") ? "FF" : "00"));
                if (!changed.equals(text)) {
                    tampered.incrementAndGet();
                }
                sdp.put("sdp", changed);
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
    }
}
