package io.rtcat.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UnitsTest {

    private static final long K = 1024;

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1024, 1024",
        "1048576, 1048576",
        "64K, 65536",
        "64k, 65536",
        "256M, 268435456",
        "4G, 4294967296",
        "4g, 4294967296",
        "1.5G, 1610612736",
        "1.5K, 1536",
        "4GiB, 4294967296",
        "4gib, 4294967296",
        "64KB, 65536",
        "64KiB, 65536",
        "1T, 1099511627776",
        "'  16M  ', 16777216",
        "16 M, 16777216",
        "10B, 10",
    })
    void parsesSizes(String text, long expected) {
        assertEquals(expected, Units.parseSize(text));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc", "-1", "12X", "K", "1..5M", "1,5M", "0x10", "1e6", "64 K B", "M64"})
    void rejectsNonSizes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseSize(text));
        assertTrue(e.getMessage().contains("is not a size"), e.getMessage());
        assertTrue(e.getMessage().contains("64K"), "shows accepted forms: " + e.getMessage());
    }

    @Test
    void rejectsFractionalBytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseSize("1.5"));
        assertTrue(e.getMessage().contains("whole number of bytes"), e.getMessage());
    }

    @Test
    void rejectsHugeSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Units.parseSize("99999999T"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1, 1 B",
        "1023, 1023 B",
        "1024, 1 KiB",
        "1536, 1.50 KiB",
        "65536, 64 KiB",
        "268435456, 256 MiB",
        "4294967296, 4 GiB",
        "1099511627776, 1 TiB",
        "1125899906842624, 1024 TiB",
    })
    void formatsSizes(long bytes, String expected) {
        assertEquals(expected, Units.formatSize(bytes));
    }

    @Test
    void formatSizeRoundTripsThroughParseSize() {
        for (long bytes : new long[] {K, 64 * K, 256 * K * K, 4 * K * K * K}) {
            String text = Units.formatSize(bytes).replace(" ", "");
            assertEquals(bytes, Units.parseSize(text), text);
        }
    }

    @Test
    void formatsRates() {
        String r = Units.formatRate(52_300_000);
        assertTrue(r.contains("52.3 MB/s"), r);
        assertTrue(r.contains("418 Mbit/s"), r);
        assertEquals("52.3 MB/s (418 Mbit/s)", r);
    }

    @Test
    void formatsGigabitAndKilobitRates() {
        assertEquals("250.0 MB/s (2.00 Gbit/s)", Units.formatRate(250_000_000));
        assertEquals("0.1 MB/s (800 kbit/s)", Units.formatRate(100_000));
        assertEquals("0.0 MB/s (0 kbit/s)", Units.formatRate(0));
    }

    @Test
    void bytesPerSecond() {
        assertEquals(0.0, Units.bytesPerSecond(1_000_000, 0));
        assertEquals(0.0, Units.bytesPerSecond(1_000_000, -5));
        assertEquals(1_000_000.0, Units.bytesPerSecond(1_000_000, 1_000_000_000L), 1e-6);
        assertEquals(2_000_000.0, Units.bytesPerSecond(1_000_000, 500_000_000L), 1e-6);
    }

    @Test
    void formatsMillis() {
        assertEquals("12 ms", Units.formatMillis(12));
        assertEquals("1.23 s", Units.formatMillis(1234));
    }

    @Test
    void formatsRoundTripsWithoutClaimingZero() {
        assertEquals("<1 ms", Units.formatRtt(0.0));
        assertEquals("<1 ms", Units.formatRtt(0.4));
        assertEquals("2 ms", Units.formatRtt(1.6));
        assertEquals("101 ms", Units.formatRtt(101.2));
        assertEquals("n/a", Units.formatRtt(null));
    }

    @Test
    void valuesJustBelowAUnitRollOver() {
        assertEquals("1.00 MiB", Units.formatSize(1024 * 1024 - 1));
    }
}
