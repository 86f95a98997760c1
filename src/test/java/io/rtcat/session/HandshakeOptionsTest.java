package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rtcat.peer.ConnectionState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandshakeOptionsTest {

    private static HandshakeOptions pinning(String fingerprint) {
        return new HandshakeOptions(null, "room", null, Duration.ofSeconds(5), false, fingerprint);
    }

    @Test
    void aPinnedFingerprintIsComparedAsUpperCaseHexWithOrWithoutItsAlgorithm() {
        assertEquals("AB:CD:01", pinning("sha-256 ab:cd:01").pinnedHex());
        assertEquals("AB:CD:01", pinning("  ab:cd:01\n").pinnedHex());
        assertNull(pinning(null).pinnedHex());
    }

    @Test
    void plainOptionsHaveNoSecretNoPinAndNoPatience() {
        HandshakeOptions plain = HandshakeOptions.plain("loopback-1", Duration.ofSeconds(7));
        assertEquals("loopback-1", plain.room());
        assertEquals(Duration.ofSeconds(7), plain.timeout());
        assertNull(plain.secret());
        assertNull(plain.pinnedHex());
        assertNull(plain.patience());
    }

    @Test
    void connectionStatesPrintAsTheW3cNamesTheProgressLinesUse() {
        assertEquals("connected", ConnectionState.CONNECTED.toString());
        assertEquals("failed", ConnectionState.FAILED.toString());
    }
}
