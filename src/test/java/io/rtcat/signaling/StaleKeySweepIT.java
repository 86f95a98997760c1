package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The real server with enough clients that written-to connections pile up in its selector's selected-key set (the
 * load test joins every client, and each {@code joined} written leaves a key behind, before the first message):
 * the sweep runs through the library's loop and every message still arrives.
 */
class StaleKeySweepIT {

    @Test
    void sweepsRunInsideTheServersLoopAndNothingIsLost() throws Exception {
        ServerOptions opts = ServerOptions.defaults().withMaxConnectionsPerIp(0).withMaxRoomsPerIp(0)
                .withRateLimit(0, 1);
        int clients = 2 * StaleKeySweep.SWEEP_AT + 100;
        try (SignalingServer server = SignalingServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), opts, Duration.ofSeconds(10))) {
            SignalLoadTest.Result r = SignalLoadTest.run(new SignalLoadTest.Settings(server.uri(), clients, 4, 64,
                    Duration.ZERO, Duration.ofSeconds(60)), s -> { });

            assertEquals(clients, r.connected(), "every client joined: " + r.firstError());
            assertEquals(r.expected(), r.received(), "every message relayed: " + r.firstError());
            StaleKeySweep sweep = server.staleKeySweep();
            assertTrue(sweep.sweeps() > 0, "the library's loop ran a sweep");
            assertTrue(sweep.removed() > 0, "removed " + sweep.removed());
        }
    }
}
