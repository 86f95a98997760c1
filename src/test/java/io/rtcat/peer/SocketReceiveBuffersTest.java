package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocketReceiveBuffersTest {

    @Test
    void readsInodesFromAProcNetUdpTable() {
        List<String> table = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  183: 0100007F:D1E5 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 0",
                "  200: 0100007F:D1E6 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 77 2 0000000000000000 5",
                "garbage");
        assertEquals(Set.of(4242L, 77L), SocketReceiveBuffers.udpInodes(table));
    }

    @Test
    void readsTheInodeOfASocketLink() {
        assertEquals(123L, SocketReceiveBuffers.socketInode("socket:[123]"));
        assertEquals(-1L, SocketReceiveBuffers.socketInode("pipe:[123]"));
        assertEquals(-1L, SocketReceiveBuffers.socketInode("/dev/null"));
    }

    /** On Linux with rmem_max above the default, a plain UDP socket of this process gets more buffer. */
    @Test
    void raisesTheBufferOfThisProcessesUdpSockets() throws Exception {
        long rmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setReceiveBufferSize(64 * 1024); // below any default, so there is always room to raise it
            int before = socket.getReceiveBufferSize();
            SocketReceiveBuffers.Outcome outcome = SocketReceiveBuffers.raise();
            assertTrue(outcome.sockets() >= 1, outcome.toString());
            int after = socket.getReceiveBufferSize();
            assertTrue(after > before, "before " + before + ", after " + after + ", " + outcome);
            // getsockopt reports twice the request (the kernel adds room for its bookkeeping)
            assertEquals(2 * Math.min(rmemMax, SocketReceiveBuffers.MAX_REQUEST), outcome.bytes());
        }
    }
}
