package io.rtcat.signaling;

import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;

/** What waits in Java-WebSocket's (unbounded) out-queue of one connection, not yet written to its socket. */
final class OutQueue {

    private OutQueue() {
    }

    /**
     * Bytes queued for {@code conn}, or -1 when more than {@code maxFrames} frames wait (so that a queue of
     * many tiny frames costs no long walk on every send). The queue is concurrent, so the walk is safe
     * while the selector thread drains it; the figure may be a frame off.
     */
    static long bytesWaiting(WebSocket conn, int maxFrames) {
        if (!(conn instanceof WebSocketImpl impl)) {
            return 0;
        }
        if (impl.outQueue.size() > maxFrames) {
            return -1;
        }
        long n = 0;
        for (ByteBuffer b : impl.outQueue) {
            n += b.remaining();
        }
        return n;
    }
}
