package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PeerConfigTest {

    private static final long WM = PeerConfig.DEFAULT_HIGH_WATERMARK;

    private static IceServerUrl stun() throws RtcatException {
        return IceServerUrl.parse("stun:stun.example.org", null, null);
    }

    private static IceServerUrl turn() throws RtcatException {
        return IceServerUrl.parse("turn:u:p@turn.example.org:3478", null, null);
    }

    private static RtcatException rejected(PeerConfig c, String expected) {
        RtcatException e = assertThrows(RtcatException.class, c::validate, c.toString());
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    @Test
    void defaultsAreValid() {
        PeerConfig c = PeerConfig.defaults();
        assertTrue(c.iceServers().isEmpty());
        assertFalse(c.relayOnly());
        assertEquals(0, c.minPort());
        assertEquals(0, c.maxPort());
        assertEquals(4L * 1024 * 1024, c.highWatermark());
        assertDoesNotThrow(c::validate);
    }

    @Test
    void goodConfigsPass() throws Exception {
        assertDoesNotThrow(new PeerConfig(List.of(stun(), turn()), true, 40000, 40100, true, WM)::validate);
        assertDoesNotThrow(new PeerConfig(List.of(stun()), false, 1024, 65535, false, 64 * 1024)::validate);
        assertDoesNotThrow(new PeerConfig(List.of(), false, 50000, 50000, false, 8L * 1024 * 1024)::validate);
    }

    @Test
    void iceServerListIsCopied() throws Exception {
        List<IceServerUrl> servers = new ArrayList<>(List.of(stun()));
        PeerConfig c = new PeerConfig(servers, false, 0, 0, false, WM);
        servers.add(turn());
        assertEquals(1, c.iceServers().size());
        assertThrows(UnsupportedOperationException.class, () -> c.iceServers().add(stun()));
    }

    @Test
    void relayOnlyWithoutServersIsRejected() {
        RtcatException e = rejected(new PeerConfig(List.of(), true, 0, 0, false, WM), "--relay-only needs a TURN server");
        assertTrue(e.hint().contains("--ice turn:"), e.hint());
    }

    @Test
    void relayOnlyWithOnlyStunIsRejected() throws Exception {
        rejected(new PeerConfig(List.of(stun()), true, 0, 0, false, WM), "--relay-only needs a TURN server");
    }

    @Test
    void relayOnlyWithTurnsIsAccepted() throws Exception {
        IceServerUrl turns = IceServerUrl.parse("turns:u:p@h", null, null);
        assertDoesNotThrow(new PeerConfig(List.of(turns), true, 0, 0, false, WM)::validate);
    }

    @ParameterizedTest
    @CsvSource({"40000,0", "0,40100"})
    void halfSetPortRangeIsRejected(int min, int max) {
        rejected(new PeerConfig(List.of(), false, min, max, false, WM), "needs both ends");
    }

    @ParameterizedTest
    @CsvSource({"40100,40000", "1023,2000", "80,90", "1,65535", "40000,65536", "-5,-1"})
    void badPortRangeIsRejected(int min, int max) {
        rejected(new PeerConfig(List.of(), false, min, max, false, WM), "invalid port range");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 65535, 8L * 1024 * 1024 + 1, 16L * 1024 * 1024, -1})
    void watermarkOutOfRangeIsRejected(long watermark) {
        rejected(new PeerConfig(List.of(), false, 0, 0, false, watermark), "watermark must be 64K-8M");
    }

    @ParameterizedTest
    @ValueSource(longs = {65536, 1024 * 1024, 8L * 1024 * 1024})
    void watermarkInRangeIsAccepted(long watermark) {
        assertDoesNotThrow(new PeerConfig(List.of(), false, 0, 0, false, watermark)::validate);
        assertEquals(8L * 1024 * 1024, PeerConfig.MAX_HIGH_WATERMARK);
    }
}
