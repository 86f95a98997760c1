package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JoinTokensTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void aTokenGrantsItsRoomUntilItExpires() throws Exception {
        String token = JoinTokens.mint(SECRET, "team a/ü", NOW.plusSeconds(60));
        assertTrue(token.startsWith("v1."), token);
        JoinTokens.Grant g = JoinTokens.verify(SECRET, token, NOW);
        assertEquals("team a/ü", g.room());
        assertEquals(NOW.getEpochSecond() + 60, g.expiresEpochSecond());
        assertEquals("team a/ü", JoinTokens.verify(SECRET, token, NOW.plusSeconds(60)).room(), "valid to the second");
        JoinTokens.Refused late = assertThrows(JoinTokens.Refused.class,
                () -> JoinTokens.verify(SECRET, token, NOW.plusSeconds(61)));
        assertTrue(late.getMessage().contains("expired"), late.getMessage());
    }

    @Test
    void anyChangeBreaksTheSignature() {
        String token = JoinTokens.mint(SECRET, "team", NOW.plusSeconds(60));
        String[] p = token.split("\\.");
        String otherRoom = Base64.getUrlEncoder().withoutPadding().encodeToString("boss".getBytes(StandardCharsets.UTF_8));
        for (String forged : new String[] {
                p[0] + "." + otherRoom + "." + p[2] + "." + p[3],
                p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 3600) + "." + p[3],
        }) {
            JoinTokens.Refused e = assertThrows(JoinTokens.Refused.class, () -> JoinTokens.verify(SECRET, forged, NOW));
            assertEquals("join token not signed by this server", e.getMessage());
        }
        byte[] other = SECRET.clone();
        other[31] ^= 1;
        assertThrows(JoinTokens.Refused.class, () -> JoinTokens.verify(other, token, NOW));
    }

    @Test
    void malformedTokensAreRefusedWithoutAStackTrace() {
        for (String bad : new String[] {null, "", "v1.a.b", "v2.a.1.c", "v1.a.1.!!!", "v1.a.b.c.d"}) {
            JoinTokens.Refused e = assertThrows(JoinTokens.Refused.class, () -> JoinTokens.verify(SECRET, bad, NOW));
            assertTrue(e.getMessage().contains("join token"), e.getMessage());
        }
    }
}
