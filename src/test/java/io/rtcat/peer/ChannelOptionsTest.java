package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChannelOptionsTest {

    private static ChannelOptions options(boolean ordered, Integer retransmits, Integer lifetime, Integer id) {
        return new ChannelOptions("rtcat", ordered, retransmits, lifetime, id);
    }

    private static RtcatException rejected(ChannelOptions o, String expected) {
        RtcatException e = assertThrows(RtcatException.class, o::validate, o.toString());
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    @Test
    void reliableDefaultsAreValid() {
        ChannelOptions o = ChannelOptions.reliable("rtcat");
        assertTrue(o.ordered());
        assertTrue(o.isReliable());
        assertDoesNotThrow(o::validate);
    }

    @Test
    void unorderedIsValid() {
        ChannelOptions o = options(false, null, null, null);
        assertTrue(o.isReliable());
        assertDoesNotThrow(o::validate);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535})
    void maxRetransmitsInRange(int n) {
        ChannelOptions o = options(false, n, null, null);
        assertFalse(o.isReliable());
        assertDoesNotThrow(o::validate);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 500, 65535})
    void lifetimeInRange(int ms) {
        ChannelOptions o = options(true, null, ms, null);
        assertFalse(o.isReliable());
        assertDoesNotThrow(o::validate);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, ChannelOptions.MAX_STREAM_ID})
    void negotiatedIdInRange(int id) {
        assertEquals(1023, ChannelOptions.MAX_STREAM_ID);
        assertDoesNotThrow(options(true, null, null, id)::validate);
    }

    @Test
    void emptyLabelIsValid() {
        assertDoesNotThrow(new ChannelOptions("", true, null, null, null)::validate);
    }

    @Test
    void bothLimitsTogetherAreRejected() {
        rejected(options(false, 1, 5, null), "cannot be combined");
        rejected(options(true, 0, 0, null), "cannot be combined");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -100, 65536, Integer.MAX_VALUE})
    void retransmitsOutOfRange(int n) {
        rejected(options(true, n, null, null), "--max-retransmits " + n + " is outside 0-65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, 1_000_000})
    void lifetimeOutOfRange(int ms) {
        rejected(options(true, null, ms, null), "--max-packet-lifetime " + ms + " is outside 0-65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 70000, -1})
    void negotiatedIdOutOfRange(int id) {
        rejected(options(true, null, null, id), "--negotiated-id " + id + " is outside 0-1023");
    }

    @Test
    void nullLabelIsRejected() {
        rejected(new ChannelOptions(null, true, null, null, null), "label");
    }

    @Test
    void labelOver65535BytesIsRejected() {
        // 32768 two-byte characters = 65536 UTF-8 bytes
        String label = "é".repeat(32768);
        rejected(new ChannelOptions(label, true, null, null, null), "at most 65535 bytes");
        assertDoesNotThrow(new ChannelOptions("a".repeat(65535), true, null, null, null)::validate);
    }
}
