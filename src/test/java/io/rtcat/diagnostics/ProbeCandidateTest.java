package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbeCandidateTest {

    @Test
    void parsesAHostCandidate() {
        ProbeCandidate c = ProbeCandidate.parse(
                "candidate:1 1 udp 2122260223 10.99.0.2 53261 typ host generation 0 ufrag abcd network-id 1",
                null, 18);
        assertEquals("host", c.type());
        assertEquals("udp", c.protocol());
        assertEquals("10.99.0.2:53261", c.endpoint());
        assertEquals(2122260223L, c.priority());
        assertNull(c.relatedAddress());
        assertNull(c.relatedEndpoint());
        assertEquals(18, c.elapsedMillis());
    }

    @Test
    void parsesRelatedAddressOfASrflxCandidate() {
        ProbeCandidate c = ProbeCandidate.parse("a=candidate:842163049 1 UDP 1686052607 203.0.113.10 61000 typ srflx "
                + "raddr 192.168.1.10 rport 40000 generation 0", "stun:203.0.113.2:3478", 30);
        assertEquals("srflx", c.type());
        assertEquals("udp", c.protocol());
        assertEquals("203.0.113.10", c.address());
        assertEquals(61000, c.port());
        assertEquals(1686052607L, c.priority());
        assertEquals("192.168.1.10:40000", c.relatedEndpoint());
        assertEquals("stun:203.0.113.2:3478", c.serverUrl());
    }

    @Test
    void relayWithHiddenRelatedAddressIsNotARealSocket() {
        ProbeCandidate c = ProbeCandidate.parse("candidate:3 1 udp 41820159 127.0.0.1 45070 typ relay raddr 0.0.0.0 "
                + "rport 0 generation 0", "turn:127.0.0.1:34780?transport=udp", 60);
        assertEquals("relay", c.type());
        assertEquals("0.0.0.0:0", c.relatedEndpoint());
        assertEquals(false, c.hasRealRelatedAddress());
    }

    @Test
    void malformedLinesDoNotThrow() {
        ProbeCandidate c = ProbeCandidate.parse("candidate:x 1 udp notanumber", null, 0);
        assertEquals("unknown", c.type());
        assertEquals(-1, c.priority());
        assertEquals("unknown", ProbeCandidate.parse("", null, 0).type());
        assertEquals("unknown", ProbeCandidate.parse(null, null, 0).type());
    }
}
