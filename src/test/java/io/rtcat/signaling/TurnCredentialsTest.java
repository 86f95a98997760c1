package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    private static final byte[] SECRET = "north-wind".getBytes(StandardCharsets.UTF_8);
    private static final List<String> URLS = List.of("turn:10.0.0.1:3478?transport=udp", "turns:t.example:5349");

    @Test
    void credentialIsBase64HmacSha1OfTheUsername() {
        // Vector from: printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac north-wind -binary | base64
        assertEquals("Oko4dt8u/EbTRjRUJWQDFm/zTCc=", TurnCredentials.sign(SECRET, "1700000000:alice"));
    }

    @Test
    void usernameIsExpiryColonLabel() {
        TurnCredentials turn = new TurnCredentials(SECRET, URLS, Duration.ofHours(1));
        TurnCredentials.Issued issued = turn.issue("alice", Instant.ofEpochSecond(1_700_000_000L - 3600));
        assertEquals("1700000000:alice", issued.username());
        assertEquals("Oko4dt8u/EbTRjRUJWQDFm/zTCc=", issued.credential());
        assertEquals(1_700_000_000L, issued.expiresEpochSecond());
    }

    @Test
    void credentialIsAcceptedUntilItsExpiryAndNotAfter() {
        TurnCredentials turn = new TurnCredentials(SECRET, URLS, Duration.ofMinutes(10));
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        TurnCredentials.Issued c = turn.issue("bob", now);
        assertTrue(TurnCredentials.accepts(SECRET, c.username(), c.credential(), now));
        assertTrue(TurnCredentials.accepts(SECRET, c.username(), c.credential(), now.plusSeconds(600)));
        assertFalse(TurnCredentials.accepts(SECRET, c.username(), c.credential(), now.plusSeconds(601)));
        byte[] other = "south-wind".getBytes(StandardCharsets.UTF_8);
        assertFalse(TurnCredentials.accepts(other, c.username(), c.credential(), now));
        // Moving the expiry breaks the signature.
        String extended = (c.expiresEpochSecond() + 3600) + ":bob";
        assertFalse(TurnCredentials.accepts(SECRET, extended, c.credential(), now));
    }

    @Test
    void labelsAreReducedToSafeCharacters() {
        assertEquals("send-1a2b.c_d", TurnCredentials.safeLabel("send-1a2b.c_d"));
        assertEquals("evilinject", TurnCredentials.safeLabel("evil:inj\nect"));
        assertEquals("rtcat", TurnCredentials.safeLabel("::::"));
        assertEquals("rtcat", TurnCredentials.safeLabel(null));
        assertEquals(TurnCredentials.MAX_LABEL, TurnCredentials.safeLabel("x".repeat(500)).length());
    }

    @Test
    void iceServersHaveTheBrowserShape() {
        TurnCredentials turn = new TurnCredentials(SECRET, URLS, Duration.ofHours(1));
        JsonNode servers = turn.iceServersJson("alice", Instant.ofEpochSecond(1_700_000_000L - 3600));
        assertEquals(1, servers.size());
        JsonNode s = servers.get(0);
        assertEquals(URLS.get(0), s.get("urls").get(0).asText());
        assertEquals(URLS.get(1), s.get("urls").get(1).asText());
        assertEquals("1700000000:alice", s.get("username").asText());
        assertEquals("Oko4dt8u/EbTRjRUJWQDFm/zTCc=", s.get("credential").asText());
    }

    @Test
    void secretIsNeverShownAndSettingsAreChecked() {
        TurnCredentials turn = new TurnCredentials(SECRET, URLS, Duration.ofHours(1));
        assertFalse(turn.toString().contains("north"), turn.toString());
        assertFalse(ServerOptions.defaults().withTurn(turn).toString().contains("north"));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(new byte[0], URLS, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(SECRET, List.of(), Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(SECRET, URLS, Duration.ZERO));
    }
}
