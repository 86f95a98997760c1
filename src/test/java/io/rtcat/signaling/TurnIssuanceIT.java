package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TURN credentials on a real server: labelled with the client's address (before: the user id the client chose)
 * and limited per address (before: any number, one per join).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TurnIssuanceIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void credentialsAreLabelledByTheServerAndLimitedPerAddress() throws Exception {
        TurnCredentials turn = new TurnCredentials("s3cret".getBytes(StandardCharsets.UTF_8),
                List.of("turn:192.0.2.1:3478"), Duration.ofMinutes(10));
        ServerOptions opts = ServerOptions.defaults().withTurn(turn).withMaxConnectionsPerIp(0).withMaxRoomsPerIp(0);
        try (SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                opts, WAIT)) {
            for (int i = 0; i < TurnIssuance.BURST; i++) {
                try (SignalingClient c = SignalingClient.connect(server.uri(), WAIT)) {
                    c.join("room" + i, "admin");
                    SignalMessage joined = c.receive(WAIT);
                    String username = joined.getNode("iceServers").get(0).get("username").asText();
                    assertTrue(username.endsWith(":127.0.0.1"), username);
                }
            }
            try (SignalingClient c = SignalingClient.connect(server.uri(), WAIT)) {
                c.join("one-more", "u");
                SignalMessage joined = c.receive(WAIT);
                assertEquals("joined", joined.type());
                assertFalse(joined.toString().contains("iceServers"), joined.toString());
            }
            assertEquals(1, server.metrics().rejections(ServerMetrics.TURN_LIMITED));
        }
    }
}
