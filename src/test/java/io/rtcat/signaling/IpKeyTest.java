package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IpKeyTest {

    @Test
    void ipv6AddressesCountByTheirSlash64() throws Exception {
        assertEquals(IpKey.of(InetAddress.getByName("2001:db8:1:2::1")), IpKey.of(InetAddress.getByName("2001:db8:1:2:ffff::9")));
        assertFalse(IpKey.of(InetAddress.getByName("2001:db8:1:2::1")).equals(IpKey.of(InetAddress.getByName("2001:db8:1:3::1"))));
        assertEquals(InetAddress.getByName("192.0.2.7"), IpKey.of(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void roomsPerIpCountsASlash64AsOneAddress() throws Exception {
        RoomsPerIp rooms = new RoomsPerIp(2);
        assertTrue(rooms.enter(InetAddress.getByName("2001:db8::1"), "a"));
        assertTrue(rooms.enter(InetAddress.getByName("2001:db8::2"), "b"));
        assertFalse(rooms.enter(InetAddress.getByName("2001:db8::3"), "c"));
        assertTrue(rooms.enter(InetAddress.getByName("2001:db8:0:1::3"), "c"));
    }

    @Test
    void turnIssuanceRefillsOverTime() throws Exception {
        TurnIssuance t = new TurnIssuance();
        InetAddress ip = InetAddress.getByName("2001:db8::1");
        long now = 0;
        for (int i = 0; i < TurnIssuance.BURST; i++) {
            assertTrue(t.tryIssue(ip, now));
        }
        assertFalse(t.tryIssue(InetAddress.getByName("2001:db8::ffff"), now), "same /64");
        assertTrue(t.tryIssue(InetAddress.getByName("192.0.2.1"), now));
        assertTrue(t.tryIssue(ip, now + TimeUnit.SECONDS.toNanos(TurnIssuance.REFILL_SECONDS)));
        assertFalse(t.tryIssue(ip, now + TimeUnit.SECONDS.toNanos(TurnIssuance.REFILL_SECONDS)));
    }
}
