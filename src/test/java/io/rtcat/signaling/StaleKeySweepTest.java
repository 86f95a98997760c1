package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft_6455;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweep on a real selector over real loopback sockets, driven the way Java-WebSocket's loop drives it. */
class StaleKeySweepTest {

    private Selector selector;
    private ServerSocketChannel listener;
    private final List<SocketChannel> sockets = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        selector = Selector.open();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws Exception {
        for (SocketChannel s : sockets) {
            s.close();
        }
        listener.close();
        selector.close();
    }

    /** One accepted (server-side) connection registered with {@code interest}, its client end kept open. */
    private SelectionKey connection(int interest) throws Exception {
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel accepted = listener.accept();
        sockets.add(client);
        sockets.add(accepted);
        accepted.configureBlocking(false);
        return accepted.register(selector, interest);
    }

    /** What the library's loop leaves after writing: selected as writable, write interest dropped. */
    private SelectionKey writtenTo() throws Exception {
        return connection(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    @Test
    void removesKeysReadyOnlyForAWriteTheyNoLongerAskFor() throws Exception {
        SelectionKey stale = writtenTo();
        SelectionKey stillWriting = writtenTo();
        selector.selectNow();
        assertTrue(selector.selectedKeys().contains(stale));
        assertTrue(selector.selectedKeys().contains(stillWriting));
        stale.interestOps(SelectionKey.OP_READ); // as doWrite does once the queue is empty
        // a key that is readable too stays: the library keeps such keys to read them again
        SelectionKey readable = connection(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        sockets.get(sockets.size() - 2).write(ByteBuffer.wrap(new byte[] {1})); // its client end sends a byte
        // the other keys are ready at once, so select does not wait for the byte: wait on the clock (at most 5 s)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((!selector.selectedKeys().contains(readable) || !readable.isReadable())
                && System.nanoTime() < deadline) {
            selector.select(10);
        }
        assertTrue(readable.isReadable() && readable.isWritable());
        readable.interestOps(SelectionKey.OP_READ);

        assertEquals(1, StaleKeySweep.sweep(selector));

        assertFalse(selector.selectedKeys().contains(stale));
        assertTrue(selector.selectedKeys().contains(stillWriting));
        assertTrue(selector.selectedKeys().contains(readable));
    }

    @Test
    void aKeyWhoseFramesLostTheirWriteInterestStays() throws Exception {
        SelectionKey lost = writtenTo();
        selector.selectNow();
        lost.interestOps(SelectionKey.OP_READ);
        WebSocketImpl conn = new WebSocketImpl((WebSocketListener) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {WebSocketListener.class}, (p, m, a) -> null),
                new Draft_6455());
        conn.outQueue.add(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0})); // an empty text frame, queued
        lost.attach(conn);

        assertEquals(0, StaleKeySweep.sweep(selector), "the loop's next pass still writes it");
        conn.outQueue.clear();
        assertEquals(1, StaleKeySweep.sweep(selector));
    }

    @Test
    void aSweptKeyIsSelectedAgainWhenItAsksToWrite() throws Exception {
        SelectionKey k = writtenTo();
        selector.selectNow();
        k.interestOps(SelectionKey.OP_READ);
        StaleKeySweep.sweep(selector);
        assertFalse(selector.selectedKeys().contains(k));

        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE); // a frame queued: onWriteDemand
        assertEquals(1, selector.selectNow());
        assertTrue(selector.selectedKeys().contains(k) && k.isWritable());
    }

    @Test
    void oneChannelAsksForOneSweepOnceTheSetIsLargeAndReadMoreRunsIt() throws Exception {
        StaleKeySweep sweep = new StaleKeySweep(3);
        List<SelectionKey> keys = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            keys.add(writtenTo());
        }
        selector.selectNow();
        PlainChannel first = new PlainChannel((SocketChannel) keys.get(0).channel(), keys.get(0), sweep);
        PlainChannel second = new PlainChannel((SocketChannel) keys.get(1).channel(), keys.get(1), sweep);
        assertFalse(first.isNeedRead(), "3 keys or fewer: no sweep");
        for (int i = 0; i < 3; i++) {
            keys.add(writtenTo());
        }
        selector.selectNow();
        for (SelectionKey k : keys) {
            k.interestOps(SelectionKey.OP_READ);
        }
        assertEquals(5, selector.selectedKeys().size());

        assertTrue(first.isNeedRead(), "the set holds 5 > 3 keys");
        assertFalse(second.isNeedRead(), "one sweep at a time");
        assertEquals(0, first.readMore(ByteBuffer.allocate(16)), "reads nothing");
        assertFalse(first.isNeedRead(), "right after its sweep a channel must not be read again");
        assertEquals(0, selector.selectedKeys().size());
        assertEquals(1, sweep.sweeps());
        assertEquals(5, sweep.removed());
    }
}
