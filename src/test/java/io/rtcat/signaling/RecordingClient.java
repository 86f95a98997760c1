package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A {@link Client} that records what the protocol does to it, for tests that drive {@link RelayProtocol}
 * without sockets (the protocol delivers synchronously, so no waiting is needed).
 */
final class RecordingClient implements Client {

    final String name;
    private final InetAddress ip;
    private final Queue<String> delivered = new ArrayDeque<>();
    final List<String> closes = new ArrayList<>();

    RecordingClient(String name, InetAddress ip) {
        this.name = name;
        this.ip = ip;
    }

    @Override
    public synchronized void deliver(String text) {
        delivered.add(text);
    }

    @Override
    public synchronized void requestClose(int code, String reason) {
        closes.add(code + " " + reason);
    }

    @Override
    public InetAddress ip() {
        return ip;
    }

    /** The next delivered text, raw. */
    synchronized String nextText() {
        String t = delivered.poll();
        assertNotNull(t, name + " got nothing more");
        return t;
    }

    /** The next delivered message, which must be of {@code type}. */
    JsonNode next(String type) {
        String t = nextText();
        JsonNode m = parse(t);
        assertEquals(type, m.path("type").asText(), () -> name + " got " + t);
        return m;
    }

    /** The next delivered message is error {@code code} with a message. */
    JsonNode nextError(String code) {
        JsonNode m = next(SignalMessage.ERROR);
        assertEquals(code, m.path("code").asText(), m::toString);
        assertTrue(!m.path("message").asText().isEmpty(), m::toString);
        return m;
    }

    synchronized void assertNothingMore() {
        assertTrue(delivered.isEmpty(), () -> name + " also got " + delivered);
    }

    synchronized int pending() {
        return delivered.size();
    }

    private static JsonNode parse(String text) {
        try {
            return Json.read(text);
        } catch (Exception e) {
            throw new AssertionError("not json: " + text, e);
        }
    }
}
