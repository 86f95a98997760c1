package io.rtcat.transfer;

import io.rtcat.peer.MessageChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiver's listener: never blocks, only queues what arrives for the writer thread. Memory is
 * bounded by the credit window; a peer that overruns it is cut off instead of exhausting the heap.
 */
final class ReceiverInbox implements MessageChannel.Listener {

    sealed interface Event permits Text, Binary, Closed, Overflow {}

    record Text(String text) implements Event {}

    record Binary(byte[] data) implements Event {}

    record Closed(String reason) implements Event {}

    /** Queued binary data exceeded the limit; everything after it was dropped. */
    record Overflow() implements Event {}

    /**
     * Characters of text that may wait unread (e.g. while the user looks at the prompt, when an honest sender
     * sends nothing): a peer sending text without end is cut off like one ignoring the credit window.
     */
    static final long MAX_QUEUED_TEXT_CHARS = 4L << 20;

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicLong queuedTextChars = new AtomicLong();
    private final long limitBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong maxQueuedBytes;
    private volatile boolean overflowed;
    private volatile boolean stopped;

    /** @param maxQueuedBytes gauge shared with the owner, raised to the largest backlog seen */
    ReceiverInbox(long limitBytes, AtomicLong maxQueuedBytes) {
        this.limitBytes = limitBytes;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public void onText(String text) {
        if (stopped || overflowed) {
            return;
        }
        if (queuedTextChars.addAndGet(text.length()) > MAX_QUEUED_TEXT_CHARS) {
            overflowed = true;
            events.add(new Overflow());
            return;
        }
        events.add(new Text(text));
    }

    @Override
    public void onBinary(byte[] data) {
        if (stopped || overflowed) {
            return;
        }
        long queued = queuedBytes.addAndGet(data.length);
        maxQueuedBytes.accumulateAndGet(queued, Math::max);
        if (queued > limitBytes) {
            overflowed = true;
            queuedBytes.addAndGet(-data.length);
            events.add(new Overflow());
            return;
        }
        events.add(new Binary(data));
    }

    @Override
    public void onClosed(String reason) {
        events.add(new Closed(reason == null ? "closed" : reason));
    }

    /** Next event, or null after {@code timeoutNanos}. */
    Event next(long timeoutNanos) throws InterruptedException {
        Event e = events.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (e instanceof Text t) {
            queuedTextChars.addAndGet(-t.text().length());
        }
        return e;
    }

    /** The writer finished with {@code bytes} of queued data. */
    void consumed(int bytes) {
        queuedBytes.addAndGet(-bytes);
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Drops whatever arrives from now on: the receive is over. */
    void stop() {
        stopped = true;
        events.clear();
    }
}
