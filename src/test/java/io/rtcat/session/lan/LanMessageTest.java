package io.rtcat.session.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LanMessageTest {

    private static LanMessage decode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return LanMessage.decode(b, b.length);
    }

    @Test
    void messagesSurviveTheRoundTrip() {
        for (LanMessage m : List.of(LanMessage.query("7"),
                LanMessage.announce("48213", 40123, "0a1b2c3d", List.of("192.168.1.10", "10.0.0.5")),
                LanMessage.announce("7", 1, "ff", List.of()), LanMessage.bye("7", 40123, "0a1b2c3d"))) {
            byte[] b = m.encode();
            assertEquals(m, LanMessage.decode(b, b.length));
        }
    }

    @Test
    void theWireFormatIsOneAsciiLine() {
        assertEquals("RTCAT1 ANNOUNCE 7 40123 0a1b2c3d 192.168.1.10,10.0.0.5", new String(
                LanMessage.announce("7", 40123, "0a1b2c3d", List.of("192.168.1.10", "10.0.0.5")).encode(),
                StandardCharsets.US_ASCII));
        assertEquals("RTCAT1 QUERY 7", new String(LanMessage.query("7").encode(), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "RTCAT2 QUERY 7", "RTCAT1 QUERY", "RTCAT1 QUERY 7 extra",
        "RTCAT1 ANNOUNCE 7 0 ab", "RTCAT1 ANNOUNCE 7 70000 ab", "RTCAT1 ANNOUNCE 7 80 XYZ",
        "RTCAT1 ANNOUNCE 7 80 ab host.example", "RTCAT1 BYE 7 80 ab 10.0.0.1", "RTCAT1 SHOUT 7",
        "RTCAT1 ANNOUNCE 7 eighty ab", "RTCAT1 QUERY 7-crossbow-orbit!"})
    void anythingElseIsIgnored(String junk) {
        assertNull(decode(junk), junk);
    }
}
