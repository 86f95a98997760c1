package io.rtcat.signaling;

import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * What waits in Java-WebSocket's (unbounded) out-queue of one connection, or in its channel, not yet written to its
 * socket.
 */
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
        long n = restBytes(impl);
        for (ByteBuffer b : impl.outQueue) {
            n += b.remaining();
        }
        return n;
    }

    /**
     * Frames wait for {@code conn} while the selector is not asked to write them. Java-WebSocket's server loses
     * a write that way: after draining a connection's out-queue, its selector clears the write interest
     * ({@code doWrite}: {@code batch()}, then {@code interestOps(OP_READ)}) with no lock shared with senders, so a
     * frame another thread queues between those two steps has its write interest cleared just after setting it.
     * It then waits for the next send to that connection: for a lone answer, such as the {@code joined} that
     * follows the handshake's response, forever. Also true for a moment while a sender is between queueing and
     * asking; asking twice is harmless.
     */
    static boolean writeInterestLost(WebSocket conn) {
        if (!holdsFrames(conn)) {
            return false;
        }
        SelectionKey key = ((WebSocketImpl) conn).getSelectionKey();
        try {
            return key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0;
        } catch (CancelledKeyException e) {
            return false; // closed meanwhile
        }
    }

    /**
     * Whether {@code conn} (a connection, or a selection key's attachment) has frames waiting in its out-queue, or
     * the rest of a frame its channel wrote in part ({@link PlainChannel}).
     */
    static boolean holdsFrames(Object conn) {
        return conn instanceof WebSocketImpl impl && (!impl.outQueue.isEmpty() || restBytes(impl) > 0);
    }

    /** Bytes of a frame that {@code impl}'s channel wrote in part and still holds ({@link PlainChannel}). */
    private static long restBytes(WebSocketImpl impl) {
        return impl.getChannel() instanceof PlainChannel channel ? channel.restBytes() : 0;
    }

    /**
     * Asks {@code server}'s selector again to write {@code conn}'s frames when their write was lost, running
     * {@code beforeAsking} first (a count must be made before the frame can arrive).
     */
    static void rearmIfLost(WebSocketServer server, WebSocket conn, Runnable beforeAsking) {
        if (writeInterestLost(conn)) {
            beforeAsking.run();
            server.onWriteDemand(conn);
        }
    }
}
