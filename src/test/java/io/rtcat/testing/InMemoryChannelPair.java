package io.rtcat.testing;

import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two connected in-memory {@link MessageChannel} ends. Like a real data channel, each direction
 * delivers on its own single callback thread, in order; messages sent before the remote listener
 * is installed wait for it. An optional buffer limit makes senders block (backpressure).
 */
public final class InMemoryChannelPair implements AutoCloseable {

    public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;

    private final End a;
    private final End b;
    private final List<Throwable> listenerFailures = new CopyOnWriteArrayList<>();

    /** Unbounded buffers, 256 KiB maximum message size. */
    public InMemoryChannelPair() {
        this(DEFAULT_MAX_MESSAGE_SIZE, 0);
    }

    /** @param bufferLimitBytes per-direction bytes queued before senders block; 0 for unbounded */
    public InMemoryChannelPair(int maxMessageSize, long bufferLimitBytes) {
        a = new End("a", maxMessageSize);
        b = new End("b", maxMessageSize);
        a.outgoing = new Pipe("a->b", b, bufferLimitBytes);
        b.outgoing = new Pipe("b->a", a, bufferLimitBytes);
        a.incoming = b.outgoing;
        b.incoming = a.outgoing;
        a.outgoing.start();
        b.outgoing.start();
    }

    public MessageChannel a() {
        return a;
    }

    public MessageChannel b() {
        return b;
    }

    /** Simulates a transport failure: pending messages are lost and both ends see onClosed. */
    public void breakConnection() {
        a.outgoing.close(true);
        b.outgoing.close(true);
    }

    /** Exceptions thrown by listener callbacks (a listener must not throw). */
    public List<Throwable> listenerFailures() {
        return listenerFailures;
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }

    private final class End implements MessageChannel {
        private final String name;
        private final int maxMessageSize;
        private final AtomicBoolean closedNotified = new AtomicBoolean();
        private volatile Listener listener;
        private volatile String closeReason; // set when the incoming side has closed
        private Pipe outgoing;
        private Pipe incoming;

        End(String name, int maxMessageSize) {
            this.name = name;
            this.maxMessageSize = maxMessageSize;
        }

        @Override
        public void setListener(Listener listener) {
            this.listener = listener;
            incoming.listenerChanged();
            if (closeReason != null) {
                notifyClosed(closeReason);
            }
        }

        @Override
        public void sendText(String text) throws IOException, InterruptedException {
            outgoing.put(text, text.getBytes(StandardCharsets.UTF_8).length);
        }

        @Override
        public void sendBinary(ByteBuffer data) throws IOException, InterruptedException {
            if (data.remaining() > maxMessageSize) {
                throw new IOException("message of " + data.remaining() + " bytes exceeds " + maxMessageSize);
            }
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            outgoing.put(copy, copy.length);
        }

        @Override
        public void drain(long timeoutMillis) throws InterruptedException {
            outgoing.awaitEmpty(timeoutMillis);
        }

        @Override
        public int maxMessageSize() {
            return maxMessageSize;
        }

        @Override
        public boolean isOpen() {
            return !outgoing.isClosed();
        }

        @Override
        public void close() {
            outgoing.close(false); // the peer still gets what was sent
            incoming.close(true); // we no longer want anything
        }

        /** Called once the incoming direction is closed; delivered once a listener exists. */
        void closedFromIncoming(String reason) {
            closeReason = reason;
            if (listener != null) {
                notifyClosed(reason);
            }
        }

        private void notifyClosed(String reason) {
            Listener l = listener;
            if (l != null && closedNotified.compareAndSet(false, true)) {
                try {
                    l.onClosed(reason);
                } catch (RuntimeException e) {
                    listenerFailures.add(e);
                }
            }
        }

        @Override
        public String toString() {
            return "InMemoryChannel-" + name;
        }
    }

    /** One direction: a queue drained by a dedicated delivery thread into the receiving end's listener. */
    private final class Pipe {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<Object> queue = new ArrayDeque<>();
        private final End to;
        private final long limitBytes;
        private final Thread thread;
        private long bufferedBytes;
        private boolean delivering;
        private boolean closed;
        private boolean abrupt;

        Pipe(String name, End to, long limitBytes) {
            this.to = to;
            this.limitBytes = limitBytes;
            this.thread = new Thread(this::deliverLoop, "in-memory-channel-" + name);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void put(Object message, int size) throws IOException, InterruptedException {
            lock.lock();
            try {
                while (!closed && limitBytes > 0 && bufferedBytes > 0 && bufferedBytes + size > limitBytes) {
                    changed.await();
                }
                if (closed) {
                    throw new IOException("channel closed");
                }
                queue.add(message);
                bufferedBytes += size;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void awaitEmpty(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            lock.lock();
            try {
                while (!closed && (!queue.isEmpty() || delivering)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    changed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        boolean isClosed() {
            lock.lock();
            try {
                return closed;
            } finally {
                lock.unlock();
            }
        }

        void close(boolean dropPending) {
            lock.lock();
            try {
                closed = true;
                abrupt |= dropPending;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void listenerChanged() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void deliverLoop() {
            boolean broken;
            while (true) {
                Object message;
                MessageChannel.Listener listener;
                lock.lock();
                try {
                    while (!closed && (queue.isEmpty() || to.listener == null)) {
                        changed.awaitUninterruptibly();
                    }
                    if (closed && (abrupt || queue.isEmpty() || to.listener == null)) {
                        broken = abrupt;
                        queue.clear();
                        bufferedBytes = 0;
                        changed.signalAll();
                        break;
                    }
                    message = queue.poll();
                    listener = to.listener;
                    delivering = true;
                } finally {
                    lock.unlock();
                }
                int size = deliver(listener, message);
                lock.lock();
                try {
                    delivering = false;
                    bufferedBytes -= size;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            to.closedFromIncoming(broken ? "connection broken" : "closed by peer");
        }

        private int deliver(MessageChannel.Listener listener, Object message) {
            try {
                if (message instanceof String text) {
                    listener.onText(text);
                    return text.getBytes(StandardCharsets.UTF_8).length;
                }
                byte[] data = (byte[]) message;
                int size = data.length;
                listener.onBinary(data);
                return size;
            } catch (RuntimeException e) {
                listenerFailures.add(e);
                return message instanceof String s ? s.getBytes(StandardCharsets.UTF_8).length : ((byte[]) message).length;
            }
        }
    }
}
