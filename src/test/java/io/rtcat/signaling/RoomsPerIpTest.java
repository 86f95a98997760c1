package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RoomsPerIpTest {

    private static final InetAddress A = InetAddress.getLoopbackAddress();

    private static InetAddress b() throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, 2});
    }

    @Test
    void distinctRoomsAreLimitedPerAddressAndFreedOnLeave() throws Exception {
        RoomsPerIp rooms = new RoomsPerIp(2);
        assertTrue(rooms.enter(A, "r1"));
        assertTrue(rooms.enter(A, "r1")); // a second connection in the same room counts once
        assertTrue(rooms.enter(A, "r2"));
        assertFalse(rooms.enter(A, "r3"));
        assertTrue(rooms.enter(b(), "r3")); // other addresses have their own budget
        rooms.leave(A, "r1");
        assertFalse(rooms.enter(A, "r3")); // r1 still holds one connection
        rooms.leave(A, "r1");
        assertTrue(rooms.enter(A, "r3"));
    }

    @Test
    void zeroMeansUnlimitedAndUnknownAddressesPass() {
        RoomsPerIp rooms = new RoomsPerIp(0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(rooms.enter(A, "r" + i));
        }
        assertTrue(new RoomsPerIp(1).enter(null, "x"));
        rooms.leave(A, "never-entered"); // harmless
    }
}
