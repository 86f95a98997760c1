package io.rtcat.stripe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.peer.MessageChannel;
import io.rtcat.testing.InMemoryChannelPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Striping over in-memory channels (the real peer connections are in the ITs). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StripedChannelTest {

    private final List<InMemoryChannelPair> pairs = new ArrayList<>();

    @AfterEach
    void close() {
        pairs.forEach(InMemoryChannelPair::close);
    }

    /** Two striped ends over {@code width} pairs; stripe i has {@code limits[i]} bytes of buffer (slow if small). */
    private StripedChannel[] striped(int width, long... limits) {
        List<MessageChannel> a = new ArrayList<>();
        List<MessageChannel> b = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            InMemoryChannelPair p = new InMemoryChannelPair(InMemoryChannelPair.DEFAULT_MAX_MESSAGE_SIZE,
                    limits.length > i ? limits[i] : 1 << 20);
            pairs.add(p);
            a.add(p.a());
            b.add(p.b());
        }
        return new StripedChannel[] {new StripedChannel(a), new StripedChannel(b)};
    }

    /** Records what arrives, in order, as "T:text" or "B:length:firstByte". */
    private static final class Recorder implements MessageChannel.Listener {
        final List<String> got = new CopyOnWriteArrayList<>();
        final List<byte[]> binaries = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile String closeReason;

        @Override
        public void onText(String text) {
            got.add("T:" + text);
        }

        @Override
        public void onBinary(byte[] data) {
            got.add("B:" + data.length);
            binaries.add(data);
        }

        @Override
        public void onClosed(String reason) {
            closeReason = reason;
            closed.countDown();
        }

        void awaitCount(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(n, got.size(), "messages arrived");
        }
    }

    @Test
    void messagesArriveInOrderAcrossUnevenStripes() throws Exception {
        // Stripe 1 buffers little, so it lags: frames overtake each other and must be put back in order.
        StripedChannel[] ends = striped(3, 1 << 20, 70_000, 1 << 20);
        Recorder r = new Recorder();
        ends[1].setListener(r);
        Random random = new Random(7);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            if (i % 50 == 0) {
                ends[0].sendText("mark " + i);
            }
            byte[] data = new byte[1 + random.nextInt(65536)];
            random.nextBytes(data);
            sent.add(data);
            ends[0].sendBinary(ByteBuffer.wrap(data));
        }
        r.awaitCount(408);
        assertEquals("T:mark 0", r.got.get(0));
        assertEquals("T:mark 50", r.got.get(51));
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), r.binaries.get(i), "message " + i);
        }
        long[] perStripe = ends[0].bytesSentPerStripe();
        long total = 0;
        for (long v : perStripe) {
            assertTrue(v > 0, "every stripe carried frames: " + java.util.Arrays.toString(perStripe));
            total += v;
        }
        long payload = sent.stream().mapToLong(b -> b.length).sum();
        assertTrue(total > payload, "frames = payload + headers");
        ends[0].drain(5000);
    }

    @Test
    void messagesBeforeTheListenerWait() throws Exception {
        StripedChannel[] ends = striped(2);
        ends[0].sendText("early");
        ends[0].sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Thread.sleep(200);
        Recorder r = new Recorder();
        ends[1].setListener(r);
        r.awaitCount(2);
        assertEquals(List.of("T:early", "B:3"), r.got);
    }

    @Test
    void losingOneStripeClosesTheWholeChannel() throws Exception {
        StripedChannel[] ends = striped(3);
        Recorder r = new Recorder();
        ends[1].setListener(r);
        ends[0].sendText("before");
        r.awaitCount(1);
        pairs.get(2).breakConnection();
        assertTrue(r.closed.await(10, TimeUnit.SECONDS));
        assertTrue(r.closeReason.contains("stripe 2"), r.closeReason);
        assertFalse(ends[1].isOpen());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException e = assertThrows(IOException.class, () -> {
            while (System.nanoTime() < deadline) {
                ends[0].sendBinary(ByteBuffer.wrap(new byte[1000]));
            }
        });
        assertTrue(e.getMessage().contains("stripe"), e.getMessage());
    }

    @Test
    void theLimitLeavesRoomForTheHeader() {
        StripedChannel[] ends = striped(2);
        assertEquals(InMemoryChannelPair.DEFAULT_MAX_MESSAGE_SIZE - StripedChannel.HEADER, ends[0].maxMessageSize());
        assertThrows(IOException.class, () -> ends[0].sendBinary(ByteBuffer.allocate(ends[0].maxMessageSize() + 1)));
    }

    /** Before: a peer that skipped frame 0 made the receiver keep everything after it, without bound. */
    @Test
    void aPeerThatRunsFarAheadFailsTheChannelInsteadOfFillingTheHeap() throws Exception {
        InMemoryChannelPair raw = new InMemoryChannelPair(InMemoryChannelPair.DEFAULT_MAX_MESSAGE_SIZE, 256L << 20);
        pairs.add(raw);
        StripedChannel receiver = new StripedChannel(List.of(raw.b()));
        Recorder rec = new Recorder();
        receiver.setListener(rec);
        byte[] frame = new byte[200 * 1024];
        frame[0] = StripedChannel.BINARY;
        int frames = (int) (StripedChannel.REORDER_BYTES / frame.length) + 2;
        // The receiver fails the channel on a delivery thread and then closes its stripe, which may happen while
        // the next frame is on its way: a send refused because the receiver hung up is the expected end too.
        try {
            for (long seq = 1; seq <= frames && rec.closed.getCount() > 0; seq++) { // never frame 0
                ByteBuffer.wrap(frame, 1, 8).putLong(seq);
                raw.a().sendBinary(ByteBuffer.wrap(frame));
            }
        } catch (IOException hungUp) {
            assertEquals("channel closed", hungUp.getMessage());
        }
        assertTrue(rec.closed.await(30, TimeUnit.SECONDS), "the channel stayed open");
        assertTrue(rec.closeReason.contains("ran more than 32 MiB ahead of frame 0"), rec.closeReason);
        assertEquals(List.of(), rec.got);
    }

    /** A stripe whose sends block until {@code gate} opens; it remembers the listener the striped channel set. */
    private static final class GatedStripe implements MessageChannel {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch sending = new CountDownLatch(1);
        volatile Listener listener;
        volatile long sendBufferLimit = -1;

        @Override
        public void setListener(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void limitSendBuffer(long bytes) {
            sendBufferLimit = bytes;
        }

        @Override
        public void sendText(String text) {
        }

        @Override
        public void sendBinary(ByteBuffer data) throws InterruptedException {
            sending.countDown();
            gate.await();
        }

        @Override
        public void drain(long timeoutMillis) {
        }

        @Override
        public int maxMessageSize() {
            return 64 * 1024;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // The gate stays shut: the striped channel interrupts its sender.
        }
    }

    /** A stripe in loss recovery must not sit on megabytes of frames the others wait behind; one stream may. */
    @Test
    void eachOfSeveralStripesHoldsLittleUnsentAndASingleOneKeepsItsBuffer() {
        GatedStripe a = new GatedStripe();
        GatedStripe b = new GatedStripe();
        StripedChannel two = new StripedChannel(List.of(a, b));
        assertEquals(StripedChannel.STRIPE_SEND_BUFFER, a.sendBufferLimit);
        assertEquals(StripedChannel.STRIPE_SEND_BUFFER, b.sendBufferLimit);
        GatedStripe single = new GatedStripe();
        StripedChannel one = new StripedChannel(List.of(single));
        assertEquals(-1, single.sendBufferLimit);
        two.close();
        one.close();
    }

    @Test
    void drainReturnsWhenTheLastFrameIsOut() throws Exception {
        GatedStripe stripe = new GatedStripe();
        StripedChannel channel = new StripedChannel(List.of(stripe));
        channel.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertTrue(stripe.sending.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
            try {
                channel.drain(30_000);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> drained.get(200, TimeUnit.MILLISECONDS),
                "a frame is still in flight");
        stripe.gate.countDown();
        drained.get(10, TimeUnit.SECONDS);
    }

    @Test
    void drainStopsAtOnceWhenAStripeFails() throws Exception {
        GatedStripe stripe = new GatedStripe();
        StripedChannel channel = new StripedChannel(List.of(stripe));
        channel.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertTrue(stripe.sending.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> drained = CompletableFuture.supplyAsync(() -> {
            try {
                channel.drain(60_000);
                return "drained";
            } catch (IOException e) {
                return e.getMessage();
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        stripe.listener.onClosed("gone");
        // Well before the 60 s drain timeout (the test's own limit is 60 s): the failure wakes the drain.
        assertEquals("stripe 0 closed: gone", drained.get(20, TimeUnit.SECONDS));
    }
}
