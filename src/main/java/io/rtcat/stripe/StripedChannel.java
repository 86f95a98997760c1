package io.rtcat.stripe;

import io.rtcat.errors.Threads;
import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One ordered, reliable {@link MessageChannel} made of several (each on its own peer connection, so each with its
 * own SCTP association and congestion window). Every message becomes a binary frame
 * {@code [kind:1][seq:8][payload]}; one sender thread per stripe takes the next frame from a shared queue, so a
 * faster stripe carries more; the receiving side puts frames back in sequence before handing them on. The
 * application above (the transfer protocol) sees exactly the channel it would see with one stripe.
 *
 * <p>Memory: the send queue holds at most {@link #QUEUE_BYTES}; the reorder buffer holds what overtook a late frame,
 * bounded by the application's own flow-control window. Losing any stripe closes the whole channel (the transfer
 * then fails cleanly and can be resumed).
 */
public final class StripedChannel implements MessageChannel {

    static final int HEADER = 9;
    static final byte TEXT = 0;
    static final byte BINARY = 1;
    /** Frames queued locally before senders block: a few chunks per stripe. */
    static final int QUEUE_BYTES = 8 << 20;
    /**
     * Most bytes the reorder buffer holds: twice the transfer's default window (16 MiB), which bounds what can
     * overtake a late frame from an honest peer; a peer that runs further ahead (ignoring flow control, or
     * skipping a sequence number for ever) fails the channel instead of filling the heap.
     */
    static final long REORDER_BYTES = 32L << 20;
    /**
     * Most bytes each stripe of two or more may hold unsent. Frames are taken from the shared queue by whichever
     * stripe is free; one that holds many is a trap on a lossy path: a stripe in loss recovery (a retransmission
     * timeout, its window cut to one packet) kept up to the connection's 4 MiB watermark of frames that the
     * receiver needs next, and the whole transfer waited for it. Two frames keep a stripe busy between the sender's
     * polls. Measured (scripts/bench-streams, 100 ms RTT, 1% loss each way, 28 stripes): 2.6 MB/s with 4 MiB,
     * 3.6-4.3 MB/s with this.
     */
    static final long STRIPE_SEND_BUFFER = 128 << 10;
    private static final byte[] POISON = new byte[0];

    private final List<MessageChannel> stripes;
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final Semaphore budget = new Semaphore(QUEUE_BYTES);
    private final Object sendOrder = new Object();
    private final AtomicLong inFlight = new AtomicLong();
    /** Signalled when {@code inFlight} reaches 0 and when the channel fails: what {@link #drain} waits for. */
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition drainChanged = drainLock.newCondition();
    private final AtomicLongArray bytesPerStripe;
    private final AtomicLongArray bytesReceivedPerStripe;
    private final List<Thread> senders = new ArrayList<>();
    private long nextSendSeq;

    private final Object receiveLock = new Object();
    private final Map<Long, byte[]> early = new HashMap<>();
    private long earlyBytes;
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private long nextReceiveSeq;
    private Listener listener;
    private boolean closeReported;
    private volatile String failure;

    public StripedChannel(List<MessageChannel> stripes) {
        if (stripes.isEmpty()) {
            throw new IllegalArgumentException("at least one stripe");
        }
        this.stripes = List.copyOf(stripes);
        this.bytesPerStripe = new AtomicLongArray(stripes.size());
        this.bytesReceivedPerStripe = new AtomicLongArray(stripes.size());
        for (int i = 0; i < this.stripes.size(); i++) {
            MessageChannel stripe = this.stripes.get(i);
            if (this.stripes.size() > 1) {
                stripe.limitSendBuffer(STRIPE_SEND_BUFFER);
            }
            int index = i;
            stripe.setListener(new Listener() {
                @Override
                public void onText(String text) {
                    // Only a late message of the set-up (e.g. an ICE candidate) can be unframed text: not needed.
                }

                @Override
                public void onBinary(byte[] frame) {
                    bytesReceivedPerStripe.addAndGet(index, frame.length);
                    receive(frame);
                }

                @Override
                public void onClosed(String reason) {
                    fail("stripe " + index + " closed: " + reason);
                }
            });
            Thread t = Threads.daemon("rtcat-stripe-" + i, () -> sendLoop(stripe, index));
            t.start();
            senders.add(t);
        }
    }

    /** Number of stripes. */
    public int width() {
        return stripes.size();
    }

    /** Bytes (frames) each stripe has sent so far, by stripe index. */
    public long[] bytesSentPerStripe() {
        long[] out = new long[stripes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytesPerStripe.get(i);
        }
        return out;
    }

    /** Bytes (frames) each stripe has received so far, by stripe index. */
    public long[] bytesReceivedPerStripe() {
        long[] out = new long[stripes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytesReceivedPerStripe.get(i);
        }
        return out;
    }

    // ---- sending ----

    @Override
    public void sendText(String text) throws IOException, InterruptedException {
        send(TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException, InterruptedException {
        send(BINARY, data);
    }

    private void send(byte kind, ByteBuffer data) throws IOException, InterruptedException {
        int size = data.remaining();
        if (size > maxMessageSize()) {
            throw new IOException("message of " + size + " bytes exceeds the striped channel's limit of "
                    + maxMessageSize());
        }
        byte[] frame = new byte[HEADER + size];
        data.duplicate().get(frame, HEADER, size);
        data.position(data.limit());
        frame[0] = kind;
        while (!budget.tryAcquire(frame.length, 100, TimeUnit.MILLISECONDS)) {
            checkOpen();
        }
        checkOpen();
        synchronized (sendOrder) {
            ByteBuffer.wrap(frame, 1, 8).putLong(nextSendSeq++);
            inFlight.incrementAndGet();
            queue.put(frame);
        }
    }

    private void sendLoop(MessageChannel stripe, int index) {
        try {
            while (true) {
                byte[] frame = queue.take();
                if (frame == POISON) {
                    return;
                }
                try {
                    stripe.sendBinary(ByteBuffer.wrap(frame));
                    bytesPerStripe.addAndGet(index, frame.length);
                } catch (IOException e) {
                    fail("stripe " + index + " failed: " + e.getMessage());
                    return;
                } finally {
                    budget.release(frame.length);
                    if (inFlight.decrementAndGet() == 0) {
                        signalDrain();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() throws IOException {
        String f = failure;
        if (f != null) {
            throw new IOException(f);
        }
    }

    @Override
    public void drain(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        drainLock.lock();
        try {
            while (inFlight.get() > 0) {
                checkOpen(); // a failure clears the queue, so inFlight may never reach 0: it signals too
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("the striped channel did not drain within " + timeoutMillis + " ms");
                }
                drainChanged.awaitNanos(left);
            }
        } finally {
            drainLock.unlock();
        }
        checkOpen(); // frames a failure dropped (or interrupted) are not out: a failed channel never drains
        for (MessageChannel s : stripes) {
            s.drain(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    @Override
    public int maxMessageSize() {
        int min = Integer.MAX_VALUE;
        for (MessageChannel s : stripes) {
            min = Math.min(min, s.maxMessageSize());
        }
        return min - HEADER;
    }

    @Override
    public boolean isOpen() {
        return failure == null;
    }

    // ---- receiving ----

    private void receive(byte[] frame) {
        if (frame.length < HEADER || (frame[0] != TEXT && frame[0] != BINARY)) {
            fail("a stripe sent a malformed frame");
            return;
        }
        long seq = ByteBuffer.wrap(frame, 1, 8).getLong();
        boolean repeated;
        synchronized (receiveLock) {
            if (failure != null) {
                return; // closed: the listener has heard onClosed, nothing may follow it
            }
            repeated = seq < nextReceiveSeq || early.containsKey(seq);
            boolean tooFar = !repeated && earlyBytes + frame.length > REORDER_BYTES;
            if (repeated) {
                markFailedLocked("a stripe repeated frame " + seq);
            } else if (tooFar) {
                markFailedLocked("the stripes ran more than " + (REORDER_BYTES >> 20) + " MiB ahead of frame "
                        + nextReceiveSeq);
                early.clear();
                earlyBytes = 0;
                repeated = true; // close the stripes below, as for a repeat
            } else {
                early.put(seq, frame);
                earlyBytes += frame.length;
            }
            byte[] next;
            while (!tooFar && (next = early.remove(nextReceiveSeq)) != null) {
                earlyBytes -= next.length;
                nextReceiveSeq++;
                byte[] f = next;
                byte[] payload = Arrays.copyOfRange(f, HEADER, f.length);
                deliverLocked(f[0] == TEXT
                        ? () -> listener.onText(new String(payload, StandardCharsets.UTF_8))
                        : () -> listener.onBinary(payload));
            }
        }
        if (repeated) {
            closeStripes(false);
        }
    }

    @Override
    public void setListener(Listener newListener) {
        synchronized (receiveLock) {
            listener = newListener;
            while (listener != null && !pending.isEmpty()) {
                pending.poll().run();
            }
        }
    }

    private void deliverLocked(Runnable r) {
        if (listener == null) {
            pending.add(r);
        } else {
            r.run();
        }
    }

    // ---- closing ----

    /**
     * Marks the channel failed, tells the listener once and closes the stripes. Closing a native channel waits
     * for libwebrtc's signaling thread, which may itself be waiting to hand us a frame, so the stripes are never
     * closed under {@code receiveLock}, and from a callback only on a thread of their own.
     */
    private void fail(String why) {
        synchronized (receiveLock) {
            markFailedLocked(why);
        }
        closeStripes(false);
    }

    private void markFailedLocked(String why) {
        if (failure == null) {
            failure = why;
            signalDrain();
        }
        if (!closeReported) {
            closeReported = true;
            String reason = failure;
            deliverLocked(() -> listener.onClosed(reason));
        }
    }

    private final AtomicBoolean stripesClosed = new AtomicBoolean();

    private void signalDrain() {
        drainLock.lock();
        try {
            drainChanged.signalAll();
        } finally {
            drainLock.unlock();
        }
    }

    private void closeStripes(boolean here) {
        if (!stripesClosed.compareAndSet(false, true)) {
            return;
        }
        stopSenders();
        Runnable closeAll = () -> stripes.forEach(MessageChannel::close);
        if (here) {
            closeAll.run();
        } else {
            Threads.daemon("rtcat-stripe-close", closeAll).start();
        }
    }

    private void stopSenders() {
        queue.clear();
        for (int i = 0; i < senders.size(); i++) {
            queue.offer(POISON);
        }
        for (Thread t : senders) {
            t.interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (receiveLock) {
            markFailedLocked("closed locally");
        }
        closeStripes(true);
    }
}
