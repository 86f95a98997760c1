package io.rtcat.session.lan;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * LAN discovery: how `rtcat receive CODE` finds `rtcat send` on the same network without an address.
 *
 * <p>Both sides join the IPv4 multicast group {@value #GROUP} (administratively scoped, RFC 2365) on UDP port
 * {@value #PORT}; every datagram is sent with TTL 1 so it never passes a router. The sender multicasts
 * {@code ANNOUNCE nameplate port id addresses} every {@link #ANNOUNCE_EVERY} and at once when it hears a
 * {@code QUERY} for its nameplate; a receiver multicasts {@code QUERY nameplate} when it starts and then every
 * {@link #ANNOUNCE_EVERY}, so it need not wait for the next periodic announce. A sender that quits sends
 * {@code BYE}; one that vanishes is forgotten when its announce is older than {@link #FRESH_FOR}. Only the
 * code's public nameplate is on the wire: the words stay secret, and the PAKE over the sender's embedded
 * signaling server decides whether the peer found is the right one. See {@link LanMessage} for the format.
 */
public final class LanDiscovery {

    public static final String GROUP = "239.255.77.71";
    public static final int PORT = 47171;
    public static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(1);
    public static final Duration FRESH_FOR = Duration.ofSeconds(4);

    private LanDiscovery() {
    }

    /** The group on {@code port} ({@link #PORT}, or another one for tests that must not meet others). */
    static InetSocketAddress group(int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(GROUP), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // a literal address never needs a lookup
        }
    }
}
