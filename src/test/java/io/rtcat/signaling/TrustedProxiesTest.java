package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private static final TrustedProxies PROXIES = TrustedProxies.parse(List.of("127.0.0.1", "10.0.0.0/8",
            "fd00::/8"));

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void addressesAndRanges() throws Exception {
        assertTrue(PROXIES.trusts(ip("127.0.0.1")));
        assertFalse(PROXIES.trusts(ip("127.0.0.2")));
        assertTrue(PROXIES.trusts(ip("10.200.3.4")));
        assertFalse(PROXIES.trusts(ip("11.0.0.1")));
        assertTrue(PROXIES.trusts(ip("fd12::1")));
        assertFalse(PROXIES.trusts(ip("fe80::1")));
        assertTrue(TrustedProxies.parse(List.of("192.168.1.0/23")).trusts(ip("192.168.0.77")));
        assertFalse(TrustedProxies.parse(List.of("192.168.1.0/23")).trusts(ip("192.168.2.1")));
        assertTrue(TrustedProxies.none().isEmpty());
    }

    @Test
    void onlyLiteralsAndValidPrefixes() {
        for (String bad : List.of("proxy.example.org", "300.1.1.1", "10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "")) {
            assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of(bad)), bad);
        }
    }

    @Test
    void theClientIsTheRightmostUntrustedHop() throws Exception {
        InetAddress proxy = ip("127.0.0.1");
        assertEquals(ip("198.51.100.7"), PROXIES.client(proxy, "198.51.100.7"));
        assertEquals(ip("198.51.100.7"), PROXIES.client(proxy, "203.0.113.9, 198.51.100.7, 10.1.2.3"),
                "a client-supplied entry further left is not believed");
        assertEquals(ip("10.0.0.1"), PROXIES.client(proxy, "10.0.0.1, 10.1.2.3"), "all trusted: the leftmost");
        assertEquals(ip("10.1.2.3"), PROXIES.client(proxy, "junk, 10.1.2.3"), "stops at a malformed entry");
        assertEquals(proxy, PROXIES.client(proxy, "junk"));
        assertEquals(proxy, PROXIES.client(proxy, ""));
        assertEquals(proxy, PROXIES.client(proxy, null));
        assertEquals(ip("2001:db8::5"), PROXIES.client(proxy, "[2001:db8::5]"));
    }

    @Test
    void anUntrustedPeerCannotChooseItsAddress() throws Exception {
        InetAddress stranger = ip("198.51.100.99");
        assertEquals(stranger, PROXIES.client(stranger, "203.0.113.1"));
        assertEquals(stranger, TrustedProxies.none().client(stranger, "203.0.113.1"));
    }
}
