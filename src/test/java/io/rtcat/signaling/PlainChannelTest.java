package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.java_websocket.SocketChannelIOHelper;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft_6455;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Direct writes on a real loopback socket whose buffers are small enough to take frames in part, with the library's
 * own write path ({@link SocketChannelIOHelper#batch}, as its selector calls it) draining what was queued: every
 * frame reaches the reader whole and each sender's frames in order.
 */
class PlainChannelTest {

    private Selector selector;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel accepted;
    private PlainChannel channel;
    private WebSocketImpl conn;

    @BeforeEach
    void open() throws Exception {
        selector = Selector.open();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open();
        client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        client.connect(listener.getLocalAddress());
        accepted = listener.accept();
        accepted.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        accepted.configureBlocking(false);
        SelectionKey key = accepted.register(selector, SelectionKey.OP_READ);
        channel = new PlainChannel(accepted, key, new StaleKeySweep());
        conn = new WebSocketImpl((WebSocketListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketListener.class}, (p, m, a) -> null), new Draft_6455());
        conn.setChannel(channel);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        accepted.close();
        listener.close();
        selector.close();
    }

    /** A test frame: length, sender, sequence number, then {@code size} bytes of the sender's number. */
    private static ByteBuffer frame(int sender, int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(12 + size);
        b.putInt(size).putInt(sender).putInt(seq);
        for (int i = 0; i < size; i++) {
            b.put((byte) sender);
        }
        return b.flip();
    }

    @Test
    void aFrameTheSocketTakesWholeNeedsNoSelector() throws Exception {
        assertTrue(channel.writeOrQueue(frame(1, 0, 100), conn.outQueue));
        assertFalse(channel.isNeedWrite());
        assertEquals(0, channel.restBytes());
        assertTrue(conn.outQueue.isEmpty());
        assertFalse(OutQueue.holdsFrames(conn));
        assertEquals(List.of("1/0"), readFrames(1).get(10, TimeUnit.SECONDS).stream()
                .map(f -> f[0] + "/" + f[1]).toList());
    }

    @Test
    void behindAQueuedFrameAFrameIsQueuedToo() throws Exception {
        conn.outQueue.add(frame(2, 0, 10));
        assertFalse(channel.writeOrQueue(frame(1, 0, 10), conn.outQueue));
        assertEquals(2, conn.outQueue.size());
        assertEquals(0, channel.restBytes());
    }

    @Test
    void theRestOfAPartWrittenFrameGoesOutBeforeWhatTheLibraryQueuedMeanwhile() throws Exception {
        int big = 4 << 20; // far more than both socket buffers hold
        assertFalse(channel.writeOrQueue(frame(1, 0, big), conn.outQueue), "the socket took part of it");
        assertTrue(channel.restBytes() > 0 && channel.isNeedWrite());
        assertTrue(conn.outQueue.isEmpty(), "the rest waits in the channel, not in the library's queue");
        conn.outQueue.add(frame(2, 0, 10)); // e.g. a pong the library queues meanwhile
        assertFalse(channel.writeOrQueue(frame(1, 1, 10), conn.outQueue), "queued behind the rest");
        assertEquals(2, conn.outQueue.size());
        assertTrue(OutQueue.holdsFrames(conn));
        assertEquals(channel.restBytes() + 22 + 22, OutQueue.bytesWaiting(conn, 10), "the rest counts as waiting");

        Future<List<int[]>> read = readFrames(3);
        drainAsTheSelectorDoes(read);
        List<int[]> got = read.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("1/0", "2/0", "1/1"), got.stream().map(f -> f[0] + "/" + f[1]).toList());
        assertFalse(channel.isNeedWrite());
    }

    @Test
    void concurrentSendersAndTheLibrarysQueueNeverInterleaveFrames() throws Exception {
        int senders = 4;
        int perSender = 300;
        Future<List<int[]>> read = readFrames(senders * perSender + perSender);
        ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 1; s <= senders; s++) {
                int sender = s;
                sent.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perSender; i++) {
                        channel.writeOrQueue(frame(sender, i, 1 + (i * 7919) % 6000), conn.outQueue);
                    }
                    return null;
                }));
            }
            sent.add(pool.submit(() -> { // the library's own sends (pongs, close frames) go only to its queue
                go.await();
                for (int i = 0; i < perSender; i++) {
                    conn.outQueue.add(frame(senders + 1, i, 1 + i % 50));
                }
                return null;
            }));
            go.countDown();
            drainAsTheSelectorDoes(read);
            for (Future<?> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            List<int[]> got = read.get(30, TimeUnit.SECONDS);
            assertEquals(senders * perSender + perSender, got.size());
            int[] next = new int[senders + 2];
            for (int[] f : got) {
                assertEquals(next[f[0]], f[1], "sender " + f[0] + "'s frames in order");
                next[f[0]]++;
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /** The selector's part: the library's batch write whenever something waits, until the reader is done. */
    private void drainAsTheSelectorDoes(Future<?> reader) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!reader.isDone() && System.nanoTime() < deadline) {
            if (!conn.outQueue.isEmpty() || channel.isNeedWrite()) {
                SocketChannelIOHelper.batch(conn, channel);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Reads {@code n} frames on another thread, checking that each one's body is whole: [sender, seq]. */
    private Future<List<int[]>> readFrames(int n) {
        ExecutorService one = Executors.newSingleThreadExecutor();
        Future<List<int[]>> f = one.submit(() -> {
            DataInputStream in = new DataInputStream(Channels.newInputStream(client));
            List<int[]> frames = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    int size = in.readInt();
                    int sender = in.readInt();
                    int seq = in.readInt();
                    byte[] body = new byte[size];
                    in.readFully(body);
                    for (byte b : body) {
                        if (b != (byte) sender) {
                            throw new AssertionError("frame " + sender + "/" + seq + " holds another's bytes");
                        }
                    }
                    frames.add(new int[] {sender, seq});
                }
            } catch (EOFException e) {
                throw new AssertionError("stream ended after " + frames.size() + " frames", e);
            }
            return frames;
        });
        one.shutdown();
        return f;
    }
}
