package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RFC 5780 tests over real UDP against an in-process server on four loopback addresses (127.0.0.1 and
 * 127.0.0.2, two ports each) that plays a NAT: it reports the mapping a NAT of the given kind would make and
 * answers only the change requests its filtering would let through. The netlab's coturn and real NATs are
 * the integration test's job; this pins the classification.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NatBehaviourTest {

    private static final Duration TRY = Duration.ofMillis(300);

    /** An RFC 5780 server that pretends a NAT sits in front of its client. */
    static final class FakeServer implements AutoCloseable {
        final DatagramSocket[] sockets = new DatagramSocket[4]; // ip1:p1, ip1:p2, ip2:p1, ip2:p2
        final List<Thread> threads = new ArrayList<>();
        final boolean offersOther;
        /** OTHER-ADDRESS on the primary's IP (another port only), as coturn's second listener reports. */
        boolean otherOnSameIp;

        /**
         * @param mappedFor the mapped address the NAT would show for requests arriving at socket index i (null:
         *                  the real source, no NAT)
         * @param answers   which change requests (CHANGE flags) get through the NAT's filtering
         */
        FakeServer(Function<Integer, InetSocketAddress> mappedFor, java.util.function.IntPredicate answers,
                boolean offersOther) throws IOException {
            this.offersOther = offersOther;
            InetAddress ip1 = InetAddress.getByName("127.0.0.1");
            InetAddress ip2 = InetAddress.getByName("127.0.0.2");
            for (int attempt = 0; ; attempt++) {
                try {
                    sockets[0] = new DatagramSocket(new InetSocketAddress(ip1, 0));
                    sockets[1] = new DatagramSocket(new InetSocketAddress(ip1, 0));
                    sockets[2] = new DatagramSocket(new InetSocketAddress(ip2, sockets[0].getLocalPort()));
                    sockets[3] = new DatagramSocket(new InetSocketAddress(ip2, sockets[1].getLocalPort()));
                    break;
                } catch (SocketException busy) {
                    close();
                    if (attempt == 5) {
                        throw busy;
                    }
                }
            }
            for (int i = 0; i < 4; i++) {
                int index = i;
                Thread t = new Thread(() -> serve(index, mappedFor, answers), "fake-stun-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        InetSocketAddress primary() {
            return (InetSocketAddress) sockets[0].getLocalSocketAddress();
        }

        private void serve(int index, Function<Integer, InetSocketAddress> mappedFor,
                java.util.function.IntPredicate answers) {
            byte[] buffer = new byte[1500];
            while (!sockets[index].isClosed()) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    sockets[index].receive(p);
                    ByteBuffer in = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                    in.getShort();
                    int length = in.getShort() & 0xffff;
                    in.getInt();
                    byte[] tid = new byte[12];
                    in.get(tid);
                    int change = 0;
                    if (length >= 8 && (in.getShort() & 0xffff) == StunClient.CHANGE_REQUEST) {
                        in.getShort();
                        change = in.getInt();
                    }
                    if (change != 0 && (!offersOther || !answers.test(change))) {
                        continue; // the NAT filters it (or the server cannot change)
                    }
                    int from = index ^ ((change & StunClient.CHANGE_IP) != 0 ? 2 : 0)
                            ^ ((change & StunClient.CHANGE_PORT) != 0 ? 1 : 0);
                    InetSocketAddress mapped = mappedFor.apply(index);
                    byte[] out = answer(tid, mapped != null ? mapped : (InetSocketAddress) p.getSocketAddress());
                    sockets[from].send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private byte[] answer(byte[] tid, InetSocketAddress mapped) {
            ByteBuffer b = ByteBuffer.allocate(20 + 12 + (offersOther ? 12 : 0));
            b.putShort((short) StunClient.BINDING_SUCCESS).putShort((short) (b.capacity() - 20))
                    .putInt(StunClient.MAGIC_COOKIE).put(tid);
            byte[] ip = mapped.getAddress().getAddress();
            byte[] cookie = ByteBuffer.allocate(4).putInt(StunClient.MAGIC_COOKIE).array();
            b.putShort((short) StunClient.XOR_MAPPED_ADDRESS).putShort((short) 8).put((byte) 0).put((byte) 1)
                    .putShort((short) (mapped.getPort() ^ (StunClient.MAGIC_COOKIE >>> 16)));
            for (int i = 0; i < 4; i++) {
                b.put((byte) (ip[i] ^ cookie[i]));
            }
            if (offersOther) {
                InetSocketAddress other = (InetSocketAddress) sockets[otherOnSameIp ? 1 : 3].getLocalSocketAddress();
                b.putShort((short) StunClient.OTHER_ADDRESS).putShort((short) 8).put((byte) 0).put((byte) 1)
                        .putShort((short) other.getPort()).put(other.getAddress().getAddress());
            }
            return b.array();
        }

        @Override
        public void close() {
            Arrays.stream(sockets).filter(s -> s != null).forEach(DatagramSocket::close);
        }
    }

    private static final InetSocketAddress PUBLIC = new InetSocketAddress("198.51.100.7", 61000);

    private static NatBehaviour measure(FakeServer server) throws IOException {
        return NatBehaviour.measure("fake", server.primary(), TRY, 2);
    }

    @Test
    void aFullConeIsEndpointIndependentBothWays() throws Exception {
        try (FakeServer s = new FakeServer(i -> PUBLIC, change -> true, true)) {
            NatBehaviour b = measure(s);
            assertEquals(PUBLIC, b.mapped());
            assertEquals(NatBehaviour.Mapping.ENDPOINT_INDEPENDENT, b.mapping());
            assertEquals(NatBehaviour.Filtering.ENDPOINT_INDEPENDENT, b.filtering());
            assertTrue(b.describe().contains("full-cone NAT"), b.describe());
        }
    }

    @Test
    void aPortRestrictedConeFiltersEveryChange() throws Exception {
        try (FakeServer s = new FakeServer(i -> PUBLIC, change -> false, true)) {
            NatBehaviour b = measure(s);
            assertEquals(NatBehaviour.Mapping.ENDPOINT_INDEPENDENT, b.mapping());
            assertEquals(NatBehaviour.Filtering.ADDRESS_AND_PORT_DEPENDENT, b.filtering());
            assertTrue(b.describe().contains("port-restricted-cone NAT"), b.describe());
        }
    }

    @Test
    void aRestrictedConeLetsThePortChangeThrough() throws Exception {
        try (FakeServer s = new FakeServer(i -> PUBLIC, change -> change == StunClient.CHANGE_PORT, true)) {
            assertEquals(NatBehaviour.Filtering.ADDRESS_DEPENDENT, measure(s).filtering());
        }
    }

    @Test
    void aSymmetricNatMapsEveryDestinationApart() throws Exception {
        try (FakeServer s = new FakeServer(i -> new InetSocketAddress("198.51.100.7", 61000 + i), change -> false,
                true)) {
            NatBehaviour b = measure(s);
            assertEquals(NatBehaviour.Mapping.ADDRESS_AND_PORT_DEPENDENT, b.mapping());
            assertTrue(b.describe().contains("symmetric NAT"), b.describe());
        }
    }

    @Test
    void anAddressDependentMappingKeepsThePortPerIp() throws Exception {
        try (FakeServer s = new FakeServer(i -> new InetSocketAddress("198.51.100.7", i < 2 ? 61000 : 62000),
                change -> false, true)) {
            assertEquals(NatBehaviour.Mapping.ADDRESS_DEPENDENT, measure(s).mapping());
        }
    }

    @Test
    void aServerWithoutAnAlternateAddressCannotTell() throws Exception {
        try (FakeServer s = new FakeServer(i -> PUBLIC, change -> true, false)) {
            NatBehaviour b = measure(s);
            assertEquals(PUBLIC, b.mapped());
            assertNull(b.alternate());
            assertEquals(NatBehaviour.Mapping.UNKNOWN, b.mapping());
            assertEquals(NatBehaviour.Filtering.UNKNOWN, b.filtering());
        }
    }

    /** The mapping test needs another IP: with a same-IP alternate a symmetric NAT would look like a cone. */
    @Test
    void anAlternateOnTheSameIpCannotTell() throws Exception {
        try (FakeServer s = new FakeServer(i -> new InetSocketAddress("198.51.100.7", i < 2 ? 61000 : 62000 + i),
                change -> false, true)) {
            s.otherOnSameIp = true;
            NatBehaviour b = measure(s);
            assertNull(b.alternate());
            assertEquals(NatBehaviour.Mapping.UNKNOWN, b.mapping());
            assertEquals(NatBehaviour.Filtering.UNKNOWN, b.filtering());
        }
    }

    @Test
    void aDeadServerIsNoAnswer() throws Exception {
        InetSocketAddress dead;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            dead = (InetSocketAddress) s.getLocalSocketAddress();
        }
        NatBehaviour b = NatBehaviour.measure("dead", dead, Duration.ofMillis(100), 2);
        assertNull(b.mapped());
        assertEquals("no answer", b.describe());
    }

    @Test
    void withoutANatTheServerSeesThisMachine() throws Exception {
        try (FakeServer s = new FakeServer(i -> null, change -> true, true)) { // null: the real source address
            NatBehaviour b = measure(s);
            assertEquals(NatBehaviour.Mapping.NO_NAT, b.mapping());
            assertTrue(b.describe().startsWith("no NAT"), b.describe());
        }
    }
}
