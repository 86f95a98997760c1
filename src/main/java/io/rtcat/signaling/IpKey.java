package io.rtcat.signaling;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The address the per-IP limits count: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber
 * usually gets a whole /64, so counting single addresses would let one client take 2^64 of them).
 */
final class IpKey {

    private IpKey() {
    }

    static InetAddress of(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return ip;
        }
        byte[] b = Arrays.copyOf(ip.getAddress(), 16);
        Arrays.fill(b, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            return ip;
        }
    }
}
