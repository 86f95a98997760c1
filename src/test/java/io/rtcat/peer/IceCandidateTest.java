package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IceCandidateTest {

    private static IceCandidate c(String line) {
        return new IceCandidate(line, "0", 0);
    }

    @Test
    void hostCandidate() {
        IceCandidate ic = c("candidate:1 1 udp 2122260223 10.99.0.1 50123 typ host generation 0 ufrag AbCd network-id 1");
        assertFalse(ic.isEndOfCandidates());
        assertEquals("host", ic.type());
        assertEquals("udp", ic.protocol());
        assertEquals("10.99.0.1", ic.address());
        assertEquals("AbCd", ic.usernameFragment());
        assertEquals("0", ic.sdpMid());
        assertEquals(0, ic.sdpMLineIndex());
    }

    @Test
    void relayCandidate() {
        IceCandidate ic = c("candidate:3 1 udp 41820159 127.0.0.1 45070 typ relay raddr 0.0.0.0 rport 0 generation 0 ufrag x");
        assertEquals("relay", ic.type());
        assertEquals("udp", ic.protocol());
        assertEquals("127.0.0.1", ic.address());
        assertEquals("x", ic.usernameFragment());
    }

    @Test
    void srflxCandidate() {
        IceCandidate ic = c("candidate:842163049 1 udp 1677729535 203.0.113.7 61617 typ srflx raddr 192.168.1.20 "
                + "rport 61617 generation 0 ufrag Zx9q network-cost 999");
        assertEquals("srflx", ic.type());
        assertEquals("203.0.113.7", ic.address());
        assertEquals("Zx9q", ic.usernameFragment());
    }

    @Test
    void prflxCandidate() {
        assertEquals("prflx", c("candidate:9 1 udp 1853824767 198.51.100.3 40000 typ prflx raddr 0.0.0.0 rport 0")
                .type());
    }

    @Test
    void withSdpAttributePrefix() {
        IceCandidate ic = c("a=candidate:1 1 UDP 2122260223 192.168.0.2 50000 typ host ufrag pre");
        assertEquals("host", ic.type());
        assertEquals("udp", ic.protocol());
        assertEquals("192.168.0.2", ic.address());
        assertEquals("pre", ic.usernameFragment());
    }

    @Test
    void tcpCandidateWithTcptype() {
        IceCandidate ic = c("candidate:2 1 TCP 1518280447 192.168.1.5 9 typ host tcptype active generation 0 ufrag t1");
        assertEquals("tcp", ic.protocol());
        assertEquals("host", ic.type());
        assertEquals("192.168.1.5", ic.address());
        assertEquals("t1", ic.usernameFragment());
    }

    @Test
    void ipv6AndMdnsAddresses() {
        assertEquals("2001:db8::5", c("candidate:4 1 udp 2122262783 2001:db8::5 40001 typ host").address());
        assertEquals("1f4712db-ea17-4bcf-a596-105139dfd8bf.local",
                c("candidate:5 1 udp 2113937151 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54321 typ host").address());
    }

    @Test
    void extraWhitespaceIsTolerated() {
        IceCandidate ic = c("  candidate:1  1 udp   2122260223 10.0.0.1 5000 typ  host  ");
        assertEquals("host", ic.type());
        assertEquals("udp", ic.protocol());
        assertEquals("10.0.0.1", ic.address());
    }

    @Test
    void lineWithoutUfragHasNoUsernameFragment() {
        assertNull(c("candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host generation 0").usernameFragment());
    }

    @Test
    void malformedLineGivesUnknownAndEmpty() {
        IceCandidate ic = c("candidate:1 1");
        assertFalse(ic.isEndOfCandidates());
        assertEquals("unknown", ic.type());
        assertEquals("unknown", ic.protocol());
        assertEquals("", ic.address());
        assertNull(ic.usernameFragment());
    }

    @Test
    void typAsLastTokenIsUnknown() {
        assertEquals("unknown", c("candidate:1 1 udp 1 10.0.0.1 5000 typ").type());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void emptyMeansEndOfCandidates(String line) {
        IceCandidate ic = new IceCandidate(line, null, null);
        assertTrue(ic.isEndOfCandidates());
        assertEquals("unknown", ic.type());
        assertEquals("unknown", ic.protocol());
        assertEquals("", ic.address());
        assertNull(ic.usernameFragment());
    }
}
