package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.stats.ConnectionStats;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two real webrtc-java peers in one JVM, in a private network namespace. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerConnectionIT {

    @Test
    void reliableChannelCarriesTextAndBinaryInOrder() throws Exception {
        try (DirectPair pair = new DirectPair(PeerConfig.defaults())) {
            Channels c = openReliable(pair);
            MessageChannel out = c.out();
            MessageChannel in = c.in();
            LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
            in.setListener(new MessageChannel.Listener() {
                @Override
                public void onText(String text) {
                    received.add(text);
                }

                @Override
                public void onBinary(byte[] data) {
                    received.add(data);
                }

                @Override
                public void onClosed(String reason) {
                    received.add("closed");
                }
            });
            out.sendText("héllo");
            byte[] big = new byte[DataChannelMessageChannel.MAX_MESSAGE_SIZE];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            // A slice of a larger heap buffer must arrive as exactly its own bytes.
            ByteBuffer slice = ByteBuffer.wrap(big, 100, 1000);
            out.sendBinary(slice);
            out.sendBinary(ByteBuffer.wrap(big));
            assertEquals("héllo", received.poll(10, TimeUnit.SECONDS));
            byte[] first = (byte[]) received.poll(10, TimeUnit.SECONDS);
            assertEquals(1000, first.length);
            assertEquals(big[100], first[0]);
            assertArrayEquals(big, (byte[]) received.poll(10, TimeUnit.SECONDS));

            ConnectionStats stats = pair.offerer.stats().get(10, TimeUnit.SECONDS);
            assertNotNull(stats.local(), "selected pair: " + stats);
            assertEquals("host", stats.local().type());
            assertEquals("udp", stats.local().protocol());
            assertEquals("direct", stats.path());
            assertNotNull(stats.dtlsCipher());
        }
    }

    /**
     * Messages that arrived before any listener wait for one; a listener may hand over from inside a callback
     * (set none) and the rest waits for the next listener, in order. (Found by the stripes set-up, which reads
     * one message and then leaves the channel to the transfer.)
     */
    @Test
    void aListenerCanHandOverFromInsideACallback() throws Exception {
        try (DirectPair pair = new DirectPair(PeerConfig.defaults())) {
            Channels c = openReliable(pair);
            MessageChannel out = c.out();
            MessageChannel in = c.in();
            for (int i = 1; i <= 5; i++) {
                out.sendText("m" + i);
            }
            out.drain(5000);
            Thread.sleep(300); // all five are now pending on the receiving side
            LinkedBlockingQueue<String> first = new LinkedBlockingQueue<>();
            in.setListener(MessageChannel.Listener.textOnly(text -> {
                first.add(text);
                in.setListener(null);
            }));
            LinkedBlockingQueue<String> second = new LinkedBlockingQueue<>();
            in.setListener(MessageChannel.Listener.textOnly(second::add));
            assertEquals("m1", first.poll(5, TimeUnit.SECONDS));
            for (int i = 2; i <= 5; i++) {
                assertEquals("m" + i, second.poll(5, TimeUnit.SECONDS));
            }
            assertEquals(0, first.size(), "the first listener got only its one message");
        }
    }

    /**
     * libwebrtc hands out its last stats report again for 50 ms; a message that arrives within that time is
     * missing from {@code stats()} but must be in {@code freshStats()} (the loss probe's counts are read so).
     */
    @Test
    void freshStatsCountWhatArrivedAfterTheLastReport() throws Exception {
        try (DirectPair pair = new DirectPair(PeerConfig.defaults())) {
            Channels c = openReliable(pair);
            MessageChannel out = c.out();
            MessageChannel in = c.in();
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            in.setListener(MessageChannel.Listener.textOnly(received::add));
            out.sendText("settle");
            assertEquals("settle", received.poll(10, TimeUnit.SECONDS));
            long before = pair.answerer.stats().get(10, TimeUnit.SECONDS).packetsReceived();
            out.sendText("counted");
            assertEquals("counted", received.poll(10, TimeUnit.SECONDS));
            long after = pair.answerer.freshStats().get(10, TimeUnit.SECONDS).packetsReceived();
            assertTrue(after > before, "the message's packet is counted: " + before + " then " + after);
        }
    }

    @Test
    void messagesAboveTheLimitAreRefusedBeforeTheyCloseTheChannel() throws Exception {
        try (DirectPair pair = new DirectPair(PeerConfig.defaults())) {
            PendingChannel pending = pair.offerer.openChannel(ChannelOptions.reliable("data"));
            pair.negotiate();
            MessageChannel out = pending.opened().get(15, TimeUnit.SECONDS);
            ByteBuffer tooBig = ByteBuffer.allocate(DataChannelMessageChannel.MAX_MESSAGE_SIZE + 1);
            assertThrows(java.io.IOException.class, () -> out.sendBinary(tooBig));
            assertTrue(out.isOpen());
        }
    }

    @Test
    void unorderedAndPartiallyReliableChannelsOpenWithTheRequestedOptions() throws Exception {
        try (DirectPair pair = new DirectPair(PeerConfig.defaults())) {
            PendingChannel unordered = pair.offerer.openChannel(
                    new ChannelOptions("u", false, null, null, null));
            PendingChannel retransmits = pair.offerer.openChannel(new ChannelOptions("r", true, 3, null, null));
            PendingChannel lifetime = pair.offerer.openChannel(new ChannelOptions("l", false, null, 150, null));
            PendingChannel negotiated = pair.offerer.openChannel(new ChannelOptions("n", true, null, null, 7));
            PendingChannel negotiatedRemote = pair.answerer.openChannel(new ChannelOptions("n", true, null, null, 7));
            pair.negotiate();
            for (PendingChannel ch : new PendingChannel[] {unordered, retransmits, lifetime, negotiated,
                    negotiatedRemote}) {
                assertSame(ch.channel(), ch.opened().get(15, TimeUnit.SECONDS));
            }
            ChannelOptions u = pair.offerer.describe(unordered.channel());
            assertFalse(u.ordered());
            assertTrue(u.isReliable());
            ChannelOptions r = pair.offerer.describe(retransmits.channel());
            assertEquals(3, r.maxRetransmits());
            assertNull(r.maxPacketLifeTime());
            ChannelOptions l = pair.offerer.describe(lifetime.channel());
            assertEquals(150, l.maxPacketLifeTime());
            assertFalse(l.ordered());
            assertEquals(7, pair.offerer.describe(negotiated.channel()).negotiatedId());
            assertEquals(7, pair.answerer.describe(negotiatedRemote.channel()).negotiatedId());
        }
    }

    @Test
    void invalidChannelOptionsAreRejectedBeforeReachingNativeCode() throws Exception {
        try (DirectPair pair = new DirectPair(PeerConfig.defaults())) {
            RtcatException both = assertThrows(RtcatException.class,
                    () -> pair.offerer.openChannel(new ChannelOptions("x", true, 1, 100, null)));
            assertEquals(RtcatException.Kind.USAGE, both.kind());
            assertThrows(RtcatException.class,
                    () -> pair.offerer.openChannel(new ChannelOptions("x", true, null, null, 70000)));
            pair.offerer.openChannel(new ChannelOptions("x", true, null, null, 5));
            RtcatException dup = assertThrows(RtcatException.class,
                    () -> pair.offerer.openChannel(new ChannelOptions("y", true, null, null, 5)));
            assertTrue(dup.getMessage().contains("already in use"), dup.getMessage());
        }
    }

    /**
     * ICE servers a signaling server hands out late: taken (through libwebrtc's setConfiguration, which must not
     * disturb the connection) while the peer has not started gathering, refused once it has.
     */
    @Test
    void iceServersAreAddedOnlyBeforeGatheringStarts() throws Exception {
        try (DirectPair pair = new DirectPair(PeerConfig.defaults())) {
            IceServerUrl late = IceServerUrl.parse("stun:127.0.0.1:9", null, null);
            assertTrue(pair.answerer.addIceServers(java.util.List.of(late)));
            assertTrue(pair.answerer.iceServers().contains(late));
            PendingChannel pending = pair.offerer.openChannel(ChannelOptions.reliable("data"));
            pair.negotiate();
            MessageChannel out = pending.opened().get(15, TimeUnit.SECONDS);
            assertFalse(pair.offerer.addIceServers(java.util.List.of(late)), "gathering had started");
            assertFalse(pair.offerer.iceServers().contains(late));
        }
    }

    /** Both ends of one reliable channel the offerer opened. */
    private record Channels(MessageChannel out, MessageChannel in) {
    }

    private static Channels openReliable(DirectPair pair) throws Exception {
        PendingChannel pending = pair.offerer.openChannel(ChannelOptions.reliable("data"));
        pair.negotiate();
        return new Channels(pending.opened().get(15, TimeUnit.SECONDS),
                pair.answerer.incomingChannel().get(15, TimeUnit.SECONDS));
    }
}
