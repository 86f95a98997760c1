package io.rtcat.session;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses another machine could use to reach a server bound here, best guesses first. */
public final class LocalAddresses {

    private LocalAddresses() {
    }

    /** Non-loopback IPv4 addresses of interfaces that are up; 127.0.0.1 if there are none. */
    public static List<String> reachable() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        out.add(a.getHostAddress());
                    }
                }
            }
        } catch (SocketException ignored) {
            // fall through to loopback
        }
        Collections.sort(out);
        if (out.isEmpty()) {
            out.add("127.0.0.1");
        }
        return out;
    }
}
