package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.testing.RawWebSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Behind a reverse proxy (--trusted-proxy), the per-IP connection limit counts the clients the proxy forwards for,
 * and an untrusted peer's X-Forwarded-For changes nothing. Real server, real sockets from several 127.x addresses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrustedProxyIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SignalingServer server;
    private final List<RawWebSocket> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ServerOptions opts = ServerOptions.defaults().withMaxConnectionsPerIp(2)
                .withTrustedProxies(TrustedProxies.parse(List.of("127.0.0.1")));
        server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), opts, WAIT);
    }

    @AfterEach
    void stop() {
        open.forEach(RawWebSocket::abort);
        server.close();
    }

    /**
     * Connects from {@code from} saying it forwards for {@code client}: true if the server lets it join, false if
     * it closes the connection for too many connections from one address (anything else fails the test). A refused
     * connection is closed right after the upgrade, so the answer is awaited before anything is sent (sending into
     * it could fail with a broken pipe before the close frame is read).
     */
    private boolean admitted(String from, String client, String room) throws Exception {
        RawWebSocket ws = RawWebSocket.open(InetAddress.getByName(from), server.port(), "/",
                "X-Forwarded-For: " + client + "\r\n");
        open.add(ws);
        try {
            RawWebSocket.Frame first = ws.read(Duration.ofMillis(500));
            assertEquals(RawWebSocket.OP_CLOSE, first.opcode(), "only a refusal comes unasked");
            assertEquals(SignalingProtocol.CLOSE_TOO_MANY, first.closeCode());
            return false;
        } catch (SocketTimeoutException admittedSoFar) {
            // Not refused: it may join.
        }
        ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"userId\":\"u" + open.size() + "\"}");
        String reply = ws.readText(WAIT);
        assertTrue(reply.contains("\"joined\""), reply);
        return true;
    }

    @Test
    void theProxysClientsAreCountedOneByOne() throws Exception {
        assertTrue(admitted("127.0.0.1", "198.51.100.1", "r1"));
        assertTrue(admitted("127.0.0.1", "198.51.100.1", "r2"));
        assertEquals(false, admitted("127.0.0.1", "198.51.100.1", "r3"), "a third from the same client");
        assertTrue(admitted("127.0.0.1", "198.51.100.2", "r4"), "another client behind the same proxy");
        assertTrue(admitted("127.0.0.1", "203.0.113.50, 198.51.100.3", "r5"), "counted as the proxy saw it");
        assertTrue(admitted("127.0.0.1", "203.0.113.50, 198.51.100.3", "r6"));
        assertEquals(false, admitted("127.0.0.1", "203.0.113.99, 198.51.100.3", "r7"),
                "a made-up entry further left does not make a new client");
    }

    @Test
    void anUntrustedPeerCannotDodgeTheLimitWithTheHeader() throws Exception {
        assertTrue(admitted("127.0.0.2", "198.51.100.10", "s1"));
        assertTrue(admitted("127.0.0.2", "198.51.100.11", "s2"));
        assertEquals(false, admitted("127.0.0.2", "198.51.100.12", "s3"), "counted as 127.0.0.2, whatever it says");
    }
}
