package io.rtcat.session.lan;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The discovery group's socket: joined on every multicast-capable interface that is up (so a machine with
 * Wi-Fi and Ethernet is found on both), sending each datagram out of each of them with TTL 1 (it never leaves
 * the link). Several rtcat processes on one machine share the port (SO_REUSEADDR, which MulticastSocket sets).
 */
final class LanSocket implements AutoCloseable {

    private final MulticastSocket socket;
    private final List<NetworkInterface> interfaces;
    private final InetSocketAddress group;
    private final Thread reader;
    private volatile boolean closed;

    private LanSocket(MulticastSocket socket, List<NetworkInterface> interfaces, InetSocketAddress group,
            BiConsumer<LanMessage, InetAddress> onMessage) {
        this.socket = socket;
        this.interfaces = interfaces;
        this.group = group;
        this.reader = Threads.daemon("rtcat-lan-discovery", () -> read(onMessage));
    }

    static LanSocket open(InetSocketAddress group, BiConsumer<LanMessage, InetAddress> onMessage)
            throws RtcatException {
        MulticastSocket socket = null;
        try {
            socket = new MulticastSocket(group.getPort());
            socket.setTimeToLive(1);
            List<NetworkInterface> joined = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && nic.supportsMulticast() && !nic.isLoopback() && hasIpv4(nic)) {
                    try {
                        socket.joinGroup(group, nic);
                        joined.add(nic);
                    } catch (IOException e) {
                        // an interface that refuses the group (e.g. no multicast route) is skipped
                    }
                }
            }
            if (joined.isEmpty()) {
                throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                        "no network interface with multicast is up");
            }
            LanSocket s = new LanSocket(socket, joined, group, onMessage);
            s.reader.start();
            return s;
        } catch (IOException e) {
            if (socket != null) {
                socket.close();
            }
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot open the LAN discovery socket (UDP "
                    + group.getPort() + "): " + e.getMessage(), null, e);
        }
    }

    private static boolean hasIpv4(NetworkInterface nic) {
        return Collections.list(nic.getInetAddresses()).stream().anyMatch(a -> a instanceof java.net.Inet4Address);
    }

    /** Sends out of every joined interface; returns whether at least one took it. */
    synchronized boolean send(LanMessage message) {
        byte[] data = message.encode();
        boolean sent = false;
        for (NetworkInterface nic : interfaces) {
            try {
                socket.setNetworkInterface(nic);
                socket.send(new DatagramPacket(data, data.length, group));
                sent = true;
            } catch (IOException e) {
                // that link is down now; the others may still work
            }
        }
        return sent;
    }

    private void read(BiConsumer<LanMessage, InetAddress> onMessage) {
        byte[] buf = new byte[LanMessage.MAX_BYTES + 1];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                continue;
            }
            LanMessage m = LanMessage.decode(p.getData(), p.getLength());
            if (m != null) {
                onMessage.accept(m, p.getAddress());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
