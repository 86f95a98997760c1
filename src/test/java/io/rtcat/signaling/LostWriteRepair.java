package io.rtcat.signaling;

import io.rtcat.errors.Threads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.server.WebSocketServer;

/**
 * For the tests' own Java-WebSocket servers (a proxy, a forging tracker), which send from threads other than the
 * selector's: the same repair {@link SignalingServer} runs for a write the library loses
 * ({@link OutQueue#writeInterestLost}), so that those tests cannot hang on it either.
 */
public final class LostWriteRepair implements AutoCloseable {

    private final ScheduledExecutorService timer = Threads.scheduler("test-lost-write-repair");

    private LostWriteRepair(WebSocketServer server) {
        timer.scheduleWithFixedDelay(() -> rearm(server), SignalingServer.REARM_PERIOD_MILLIS,
                SignalingServer.REARM_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts checking {@code server}'s connections until {@link #close}. */
    public static LostWriteRepair of(WebSocketServer server) {
        return new LostWriteRepair(server);
    }

    private static void rearm(WebSocketServer server) {
        try {
            for (WebSocket conn : server.getConnections()) {
                OutQueue.rearmIfLost(server, conn, () -> { });
            }
        } catch (RuntimeException e) {
            // a connection closing meanwhile; the next round looks again (a task that throws is never run again)
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
