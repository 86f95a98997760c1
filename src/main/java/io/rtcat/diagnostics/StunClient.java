package io.rtcat.diagnostics;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/**
 * A minimal STUN client (RFC 5389 Binding, RFC 5780 CHANGE-REQUEST and OTHER-ADDRESS) over one UDP socket, for
 * the NAT tests libwebrtc cannot do: its gathering never asks a server to answer from another address. One
 * socket for all requests, because a NAT's mapping and filtering belong to the local socket.
 */
public final class StunClient implements AutoCloseable {

    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int MAPPED_ADDRESS = 0x0001;
    static final int CHANGE_REQUEST = 0x0003;
    static final int CHANGED_ADDRESS = 0x0005;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int OTHER_ADDRESS = 0x802C;
    static final int CHANGE_IP = 0x04;
    static final int CHANGE_PORT = 0x02;

    /**
     * One answer.
     *
     * @param mapped where the server saw this socket (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS)
     * @param other  the server's alternate address (OTHER-ADDRESS, else the older CHANGED-ADDRESS), null if
     *               it has none: such a server cannot test filtering
     * @param from   where the answer came from
     */
    public record Answer(InetSocketAddress mapped, InetSocketAddress other, InetSocketAddress from) {
    }

    private final DatagramSocket socket;
    private final SecureRandom random = new SecureRandom();
    private final Duration perTry;
    private final int tries;

    /**
     * @param perTry how long to wait for each answer before sending again
     * @param tries  how many times to send a request (UDP may lose one); the longest wait is their product
     */
    public StunClient(Duration perTry, int tries) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(0));
        this.perTry = perTry;
        this.tries = tries;
    }

    /** The local port, the same for every request. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** A plain binding request; null when no answer came within the tries. */
    public Answer bind(InetSocketAddress server) throws IOException {
        return request(server, 0);
    }

    /**
     * A binding request asking the server to answer from another IP and/or port ({@link #CHANGE_IP},
     * {@link #CHANGE_PORT}); null when no answer came: the NAT filtered it (or the server ignores the flag).
     */
    public Answer bindChanged(InetSocketAddress server, int changeFlags) throws IOException {
        return request(server, changeFlags);
    }

    private Answer request(InetSocketAddress server, int changeFlags) throws IOException {
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        byte[] request = encodeRequest(tid, changeFlags);
        byte[] buffer = new byte[1500];
        for (int i = 0; i < tries; i++) {
            socket.send(new DatagramPacket(request, request.length, server));
            long deadline = System.nanoTime() + perTry.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                Answer answer = decodeAnswer(Arrays.copyOf(packet.getData(), packet.getLength()), tid,
                        (InetSocketAddress) packet.getSocketAddress());
                if (answer != null) {
                    return answer;
                }
                // a late answer to an earlier request, or noise: keep waiting for ours
            }
        }
        return null;
    }

    static byte[] encodeRequest(byte[] tid, int changeFlags) {
        ByteBuffer b = ByteBuffer.allocate(20 + (changeFlags != 0 ? 8 : 0));
        b.putShort((short) BINDING_REQUEST).putShort((short) (changeFlags != 0 ? 8 : 0)).putInt(MAGIC_COOKIE).put(tid);
        if (changeFlags != 0) {
            b.putShort((short) CHANGE_REQUEST).putShort((short) 4).putInt(changeFlags);
        }
        return b.array();
    }

    /** The answer in {@code message} to the request {@code tid}, or null if it is not one. */
    static Answer decodeAnswer(byte[] message, byte[] tid, InetSocketAddress from) {
        if (message.length < 20) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(message);
        int type = b.getShort() & 0xffff;
        int length = b.getShort() & 0xffff;
        byte[] gotTid = new byte[12];
        if (b.getInt() != MAGIC_COOKIE || type != BINDING_SUCCESS || 20 + length > message.length) {
            return null;
        }
        b.get(gotTid);
        if (!Arrays.equals(gotTid, tid)) {
            return null;
        }
        InetSocketAddress mapped = null;
        InetSocketAddress xorMapped = null;
        InetSocketAddress other = null;
        InetSocketAddress changed = null;
        while (b.position() + 4 <= 20 + length) {
            int attr = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            if (b.position() + len > 20 + length) {
                return null;
            }
            byte[] value = new byte[len];
            b.get(value);
            b.position(Math.min(20 + length, b.position() + ((4 - len % 4) % 4)));
            switch (attr) {
                case MAPPED_ADDRESS -> mapped = address(value, null);
                case XOR_MAPPED_ADDRESS -> xorMapped = address(value, tid);
                case OTHER_ADDRESS -> other = address(value, null);
                case CHANGED_ADDRESS -> changed = address(value, null);
                default -> {
                    // not needed here
                }
            }
        }
        InetSocketAddress seen = xorMapped != null ? xorMapped : mapped;
        return seen == null ? null : new Answer(seen, other != null ? other : changed, from);
    }

    /** A (XOR-)MAPPED-ADDRESS-shaped value; {@code tid} non-null means XOR'ed. */
    private static InetSocketAddress address(byte[] v, byte[] tid) {
        if (v.length < 8) {
            return null;
        }
        int family = v[1];
        int port = ((v[2] & 0xff) << 8) | (v[3] & 0xff);
        byte[] ip = Arrays.copyOfRange(v, 4, v.length);
        if ((family != 1 || ip.length != 4) && (family != 2 || ip.length != 16)) {
            return null;
        }
        if (tid != null) {
            port ^= MAGIC_COOKIE >>> 16;
            byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(tid).array();
            for (int i = 0; i < ip.length; i++) {
                ip[i] ^= key[i];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
