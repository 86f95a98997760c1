package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A frame left in the library's out-queue without write interest, as its selector leaves one when a sender races
 * the end of a write (clean-clone CI: a {@code joined} that never came), still reaches the client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LostWriteIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aFrameWhoseWriteInterestWasClearedIsStillWritten() throws Exception {
        try (SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerOptions.defaults(), WAIT);
             SignalingClient client = SignalingClient.connect(server.uri(), WAIT)) {
            client.join("room", "u");
            assertEquals("joined", client.receive(WAIT).type());
            SocketClient onServer = server.liveConnections().iterator().next();
            WebSocketImpl conn = (WebSocketImpl) onServer.conn;
            long repairedBefore = server.metrics().lostWritesRepaired();
            Draft draft = conn.getDraft();
            // What the race leaves: the frame queued, then the write interest cleared by the selector.
            for (Framedata f : draft.createFrames("{\"type\":\"probe\"}", false)) {
                conn.outQueue.add(draft.createBinaryFrame(f));
            }
            conn.getSelectionKey().interestOps(SelectionKey.OP_READ);

            SignalMessage probe = client.receive(Duration.ofSeconds(3));
            assertNotNull(probe);
            assertEquals("probe", probe.type());
            // more than once only if the join's own answer was caught by the race too
            assertTrue(server.metrics().lostWritesRepaired() > repairedBefore, "counted in /metrics");
        }
    }
}
