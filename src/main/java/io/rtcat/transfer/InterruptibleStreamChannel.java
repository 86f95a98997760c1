package io.rtcat.transfer;

import io.rtcat.errors.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A stream (standard input) read through a daemon thread and a small bounded queue, so that the thread sending
 * it can be interrupted while no data comes: a read blocked in the kernel on a pipe ignores
 * {@link Thread#interrupt()}, and the sender would stay stuck instead of telling its peer it cancelled.
 * The blocked daemon thread is simply left behind; it does not keep the JVM alive.
 */
final class InterruptibleStreamChannel implements ReadableByteChannel {

    /** Bytes per block handed over; a few blocks in flight keep the pipe drained without much memory. */
    static final int BLOCK = 64 * 1024;
    private static final int BLOCKS_IN_FLIGHT = 4;

    /** A block of data, the end of the stream (empty data), or the read failure. */
    private record Block(byte[] data, int length, IOException failure) {
    }

    private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(BLOCKS_IN_FLIGHT);
    private Block current;
    private int position;
    private boolean ended;
    private volatile boolean open = true;

    InterruptibleStreamChannel(InputStream in, String name) {
        Threads.daemon("rtcat-" + name + "-reader", () -> pump(in)).start();
    }

    private void pump(InputStream in) {
        try {
            while (open) {
                byte[] data = new byte[BLOCK];
                int n;
                try {
                    n = in.read(data);
                } catch (IOException e) {
                    queue.put(new Block(null, 0, e));
                    return;
                }
                if (n < 0) {
                    queue.put(new Block(null, -1, null));
                    return;
                }
                if (n > 0) {
                    queue.put(new Block(data, n, null));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; ends it if someone does
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (ended) {
            return -1;
        }
        if (current == null) {
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                open = false;
                Thread.currentThread().interrupt(); // the flag tells the caller it is cancelling, as for a file
                throw new ClosedByInterruptException();
            }
            position = 0;
        }
        if (current.failure() != null) {
            throw current.failure();
        }
        if (current.length() < 0) {
            ended = true;
            return -1;
        }
        int n = Math.min(dst.remaining(), current.length() - position);
        dst.put(current.data(), position, n);
        position += n;
        if (position == current.length()) {
            current = null;
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Stops handing data over; the stream itself stays open (standard input is not ours to close). */
    @Override
    public void close() {
        open = false;
        queue.clear(); // lets a pump waiting on a full queue see it is closed
    }
}
