package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.testing.RawWebSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real server with enough written-to, silent connections that their keys pile up in its selector's
 * selected-key set: the sweep runs through the library's loop, removes them, and every message still arrives.
 *
 * <p>Each connection here does the WebSocket handshake and then stays silent. The handshake's response is written
 * by the selector, which leaves the key in the set as "writable" (the library removes keys only after a read or an
 * accept), and a silent connection is never read: so after the handshakes the set holds every one of them, and the
 * first read of the load test's clients asks for a sweep.
 */
class StaleKeySweepIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void sweepsRunInsideTheServersLoopAndNothingIsLost() throws Exception {
        ServerOptions opts = ServerOptions.defaults().withMaxConnectionsPerIp(0).withMaxRoomsPerIp(0)
                .withRateLimit(0, 1);
        int silent = 2 * StaleKeySweep.SWEEP_AT + 100;
        List<RawWebSocket> handshaken = new ArrayList<>();
        try (SignalingServer server = SignalingServer.start(new InetSocketAddress(LOOPBACK, 0), opts,
                Duration.ofSeconds(10))) {
            for (int i = 0; i < silent; i++) {
                handshaken.add(RawWebSocket.open(LOOPBACK, server.port(), "/"));
            }
            SignalLoadTest.Result r = SignalLoadTest.run(new SignalLoadTest.Settings(server.uri(), 20, 4, 20,
                    Duration.ZERO, Duration.ofSeconds(60)), s -> { });

            assertEquals(20, r.connected(), "every client joined: " + r.firstError());
            assertEquals(r.expected(), r.received(), "every message relayed: " + r.firstError());
            StaleKeySweep sweep = server.staleKeySweep();
            assertTrue(sweep.sweeps() > 0, "the library's loop ran a sweep");
            assertTrue(sweep.removed() >= silent - StaleKeySweep.SWEEP_AT, "removed " + sweep.removed()
                    + " of the " + silent + " silent connections' keys");
        } finally {
            for (RawWebSocket ws : handshaken) {
                ws.abort();
            }
        }
    }
}
