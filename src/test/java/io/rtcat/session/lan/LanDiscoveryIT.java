package io.rtcat.session.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The discovery protocol on real multicast sockets, in the test JVM's private namespace (scripts/netns-run: lo
 * and a veth pair). Each test uses a group port of its own so that tests cannot hear each other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LanDiscoveryIT {

    private static final long SECONDS_10 = TimeUnit.SECONDS.toNanos(10);

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS_10;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aFinderHearsTheAnnouncerOfItsNameplateOnly() throws Exception {
        int port = 47201;
        try (LanAnnouncer other = LanAnnouncer.start("8", 40001, List.of("10.99.0.1"), port);
                LanAnnouncer mine = LanAnnouncer.start("7", 40002, List.of("10.99.0.1"), port);
                LanFinder finder = LanFinder.start("7", port)) {
            LanFinder.Found f = finder.next(SECONDS_10);
            assertNotNull(f);
            assertEquals(40002, f.port());
            assertTrue(finder.isFresh(f.senderId()));
        }
    }

    @Test
    void aQueryIsAnsweredAtOnceWithoutWaitingForTheNextAnnounce() throws Exception {
        int port = 47202;
        // Announces once at start (nobody hears it), then only in answer to queries.
        try (LanAnnouncer quiet = LanAnnouncer.start("7", 40003, List.of(), port, Duration.ofHours(1))) {
            try (LanFinder finder = LanFinder.start("7", port)) {
                LanFinder.Found f = finder.next(SECONDS_10);
                assertNotNull(f, "the announcer answered the query");
                assertEquals(40003, f.port());
            }
        }
    }

    @Test
    void aSenderThatSaysGoodbyeIsForgottenAtOnce() throws Exception {
        int port = 47203;
        try (LanFinder finder = LanFinder.start("7", port)) {
            LanAnnouncer a = LanAnnouncer.start("7", 40004, List.of(), port);
            LanFinder.Found f = finder.next(SECONDS_10);
            assertNotNull(f);
            a.close();
            await(() -> !finder.isFresh(f.senderId()), "the goodbye arrived");
        }
    }

    @Test
    void anAnnouncementThatIsNotRepeatedGoesStale() throws Exception {
        int port = 47204;
        try (LanFinder finder = LanFinder.start("7", port); MulticastSocket raw = new MulticastSocket()) {
            NetworkInterface nic = NetworkInterface.getByInetAddress(InetAddress.getByName("10.99.0.1"));
            raw.setNetworkInterface(nic);
            byte[] once = LanMessage.announce("7", 40005, "5ca1ab1e", List.of()).encode();
            raw.send(new DatagramPacket(once, once.length, new InetSocketAddress(LanDiscovery.GROUP, port)));
            await(() -> finder.isFresh("5ca1ab1e"), "the single announce arrived");
            await(() -> !finder.isFresh("5ca1ab1e"), "it expired (" + LanDiscovery.FRESH_FOR.toSeconds() + " s)");
            assertNull(finder.next(0), "a stale sender is not handed out");
        }
    }

    @Test
    void junkOnThePortIsIgnored() throws Exception {
        int port = 47205;
        try (LanFinder finder = LanFinder.start("7", port); MulticastSocket raw = new MulticastSocket()) {
            raw.setNetworkInterface(NetworkInterface.getByInetAddress(InetAddress.getByName("10.99.0.1")));
            for (String junk : List.of("hello", "RTCAT1 ANNOUNCE 7 0 ab", "RTCAT1 ANNOUNCE 7 80 ab evil.example")) {
                byte[] b = junk.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                raw.send(new DatagramPacket(b, b.length, new InetSocketAddress(LanDiscovery.GROUP, port)));
            }
            try (LanAnnouncer a = LanAnnouncer.start("7", 40006, List.of(), port)) {
                LanFinder.Found f = finder.next(SECONDS_10);
                assertNotNull(f);
                assertEquals(40006, f.port(), "the first thing handed out is the real announce");
            }
            assertFalse(finder.isFresh("ab"));
        }
    }
}
