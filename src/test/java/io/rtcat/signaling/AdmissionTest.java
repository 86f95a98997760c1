package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final ServerMetrics metrics = new ServerMetrics();

    private Admission admission(ServerOptions o) {
        return new Admission(o, metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void theTokenMustBeTheOneQueryParameterAndMatch() throws Exception {
        Admission a = admission(ServerOptions.defaults().withToken("s e/cret"));
        assertTrue(a.admit(ip("192.0.2.1"), "/?token=s%20e%2Fcret").admitted());
        for (String wrong : List.of("/", "/?token=secret", "/?x=1&token=s%20e%2Fcret&token=s%20e%2Fcret",
                "/?token=%zz", "/?tokens=s%20e%2Fcret")) {
            Admission.Verdict v = a.admit(ip("192.0.2.1"), wrong);
            assertFalse(v.admitted(), wrong);
            assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, v.closeCode());
            assertEquals("unauthorized", v.closeReason());
        }
        assertEquals(5, metrics.rejections(ServerMetrics.UNAUTHORIZED));
        assertEquals("two tokens", assertThrows(JoinTokens.Refused.class,
                () -> Admission.tokenParam("/?token=a&token=b")).getMessage());
    }

    @Test
    void aSignedJoinTokenGrantsItsRoomUntilItExpires() throws Exception {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        Admission a = admission(ServerOptions.defaults().withJoinSecret(secret));
        String valid = JoinTokens.mint(secret, "room-1", NOW.plusSeconds(60));
        Admission.Verdict v = a.admit(ip("192.0.2.1"), "/?token=" + valid);
        assertTrue(v.admitted());
        assertEquals("room-1", v.grantedRoom());
        Admission.Verdict expired = a.admit(ip("192.0.2.1"),
                "/?token=" + JoinTokens.mint(secret, "room-1", NOW.minusSeconds(1)));
        assertFalse(expired.admitted());
        assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, expired.closeCode());
        assertNull(admission(ServerOptions.defaults()).admit(ip("192.0.2.1"), "/").grantedRoom());
    }

    @Test
    void connectionsPerAddressAreCappedAndReleased() throws Exception {
        Admission a = admission(ServerOptions.defaults().withMaxConnectionsPerIp(2));
        InetAddress one = ip("192.0.2.1");
        assertTrue(a.admit(one, "/").admitted());
        assertTrue(a.admit(one, "/").admitted());
        Admission.Verdict third = a.admit(one, "/");
        assertFalse(third.admitted());
        assertEquals(SignalingProtocol.CLOSE_TOO_MANY, third.closeCode());
        assertEquals("too many connections", third.closeReason());
        assertTrue(a.admit(ip("192.0.2.2"), "/").admitted(), "another address has its own count");
        a.release(one);
        assertEquals(1, a.countFor(one));
        assertTrue(a.admit(one, "/").admitted());
        assertTrue(a.admit(null, "/").admitted(), "an unknown address is not counted");
        assertEquals(1, metrics.rejections(ServerMetrics.TOO_MANY_CONNECTIONS));
    }

    @Test
    void behindATrustedProxyTheForwardedClientCounts() throws Exception {
        Admission a = admission(ServerOptions.defaults()
                .withTrustedProxies(TrustedProxies.parse(List.of("10.0.0.0/8"))));
        assertEquals(ip("192.0.2.9"), a.clientAddress(ip("10.1.2.3"), "192.0.2.9"));
        assertEquals(ip("198.51.100.1"), a.clientAddress(ip("198.51.100.1"), "192.0.2.9"), "not a trusted proxy");
        assertEquals(ip("10.1.2.3"), admission(ServerOptions.defaults()).clientAddress(ip("10.1.2.3"), "192.0.2.9"));
    }
}
