package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.Ack;
import io.rtcat.transfer.ProtocolCodec.BatchDone;
import io.rtcat.transfer.ProtocolCodec.Done;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import io.rtcat.transfer.ProtocolCodec.Hello;
import io.rtcat.transfer.ProtocolCodec.ManifestAck;
import io.rtcat.transfer.ProtocolCodec.Message;
import io.rtcat.transfer.ProtocolCodec.Resume;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The sender's view of what the receiver said: hello/credit window, acks, done, error, close.
 * Callbacks only record state and signal; the sending thread does all waiting, with deadlines.
 */
final class ReceiverFeedback implements MessageChannel.Listener {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private volatile long window = -1; // -1 until the receiver says hello
    private volatile long acked;
    private volatile Done done;
    private volatile ErrorMessage error;
    private volatile ProtocolCodec.Cancelled cancelled;
    private volatile RtcatException protocolError;
    private volatile String closedReason;
    // batch extensions
    private final List<Resume> resume = new ArrayList<>(); // guarded by lock
    private volatile boolean manifestAcked;
    private volatile BatchDone batchDone;
    private final Pacer pacer; // guarded by lock
    private long pacerBase; // pacer position minus file position; guarded by lock

    ReceiverFeedback() {
        this(new Pacer(System::nanoTime));
    }

    ReceiverFeedback(Pacer pacer) {
        this.pacer = pacer;
    }

    @Override
    public void onText(String text) {
        Message message;
        try {
            message = ProtocolCodec.decode(text);
        } catch (RtcatException e) {
            update(() -> protocolError = e);
            return;
        }
        if (message instanceof Hello hello) {
            update(() -> window = Math.max(1, hello.window()));
        } else if (message instanceof Ack ack) {
            update(() -> {
                acked = Math.max(acked, ack.bytes());
                pacer.onAck(pacerBase + acked);
            });
        } else if (message instanceof Done d) {
            update(() -> done = d);
        } else if (message instanceof ErrorMessage e) {
            update(() -> error = e);
        } else if (message instanceof ProtocolCodec.Cancelled c) {
            update(() -> cancelled = c);
        } else if (message instanceof ManifestAck a) {
            update(() -> {
                if (!manifestAcked) {
                    resume.addAll(a.resume());
                    manifestAcked = !a.more();
                }
            });
        } else if (message instanceof BatchDone d) {
            update(() -> batchDone = d);
        }
        // anything else (including our own message types echoed back) is ignored
    }

    @Override
    public void onBinary(byte[] data) {
        // receivers never send binary data; ignore for forward compatibility
    }

    @Override
    public void onClosed(String reason) {
        update(() -> closedReason = reason == null ? "closed" : reason);
    }

    boolean helloSeen() {
        return window >= 0;
    }

    /** Throws if the receiver refused, broke the protocol or the channel closed. */
    void throwIfFailed(long sent, long total) throws RtcatException {
        ProtocolCodec.Cancelled c = cancelled;
        if (c != null) {
            throw Cancellation.received(c, sent > 0 ? " after " + sent + " bytes" : "");
        }
        ErrorMessage e = error;
        if (e != null) {
            throw refused(e);
        }
        RtcatException p = protocolError;
        if (p != null) {
            throw p;
        }
        if (closedReason != null) {
            throw closed(sent, total);
        }
    }

    /** Checks, under the lock, before each wait. */
    private interface Check {
        void run() throws RtcatException;
    }

    /**
     * The one wait: until {@code until} holds, checking {@code check} before every wait, for at most
     * {@code timeoutNanos}, then throws {@code onTimeout} (or returns false if that is null).
     *
     * @param restartOnAck every acknowledgement restarts the timeout: it limits a stall, not the whole wait
     */
    private boolean awaitUntil(BooleanSupplier until, long timeoutNanos, boolean restartOnAck, Check check,
            Supplier<RtcatException> onTimeout) throws RtcatException, InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            long lastAcked = acked;
            while (!until.getAsBoolean()) {
                check.run();
                if (restartOnAck && acked != lastAcked) {
                    lastAcked = acked;
                    deadline = System.nanoTime() + timeoutNanos;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (onTimeout == null) {
                        return false;
                    }
                    throw onTimeout.get();
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeoutNanos} for the receiver's hello; returns whether it came. */
    boolean awaitHello(long timeoutNanos, long sent, long total) throws RtcatException, InterruptedException {
        return awaitUntil(this::helloSeen, timeoutNanos, false, () -> throwIfFailed(sent, total), null);
    }

    /**
     * Blocks until sending {@code next} more bytes keeps unacknowledged bytes within the window.
     * A chunk larger than the whole window may go once everything before it is acknowledged.
     */
    void awaitCredit(long sent, int next, long total, long stallNanos) throws RtcatException, InterruptedException {
        if (!helloSeen()) {
            throwIfFailed(sent, total);
            return;
        }
        lock.lock();
        try {
            awaitUntil(() -> sent - acked + next <= window || acked >= sent, stallNanos, true,
                    () -> throwIfFailed(sent, total), () -> stalled(total, stallNanos));
            throwIfFailed(sent, total);
            pace(sent, next, total, stallNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the {@link Pacer} lets {@code next} bytes go, then counts them as sent. Holds the lock. */
    private void pace(long sent, int next, long total, long stallNanos) throws RtcatException, InterruptedException {
        pacerBase = pacer.sent() - sent;
        long lastAcked = acked;
        long deadline = System.nanoTime() + stallNanos;
        long delay;
        while ((delay = pacer.delayNanos(next)) > 0) {
            throwIfFailed(sent, total);
            long now = System.nanoTime();
            if (acked != lastAcked) {
                lastAcked = acked;
                deadline = now + stallNanos;
            } else if (now >= deadline) {
                throw stalled(total, stallNanos);
            }
            changed.awaitNanos(Math.min(delay, deadline - now));
            pacer.waited(System.nanoTime() - now);
        }
        pacer.onSend(next);
    }

    private RtcatException stalled(long total, long stallNanos) {
        return new RtcatException(Kind.TIMEOUT, "receiver stopped acknowledging data after " + acked + " of " + total
                + " bytes (no progress for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s)");
    }

    /** What pacing saw and did so far. */
    PacingSummary pacing() {
        lock.lock();
        try {
            return pacer.summary();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Batch: forgets the previous file's acknowledgements and confirmation before the next file-start
     * is sent. The receiver acknowledges positions in the file, so a resumed file starts at {@code offset}.
     */
    void startFile(long offset) {
        update(() -> {
            acked = offset;
            done = null;
        });
    }

    /** Batch: waits for the complete manifest-ack and returns its resume entries. */
    List<Resume> awaitManifestAck(long timeoutNanos) throws RtcatException, InterruptedException {
        awaitUntil(() -> manifestAcked, timeoutNanos, false, () -> throwIfFailed(0, 0),
                () -> new RtcatException(Kind.TIMEOUT, "receiver did not accept or decline the files within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s"));
        lock.lock();
        try {
            return List.copyOf(resume);
        } finally {
            lock.unlock();
        }
    }

    /** Batch: waits for batch-done after batch-end. */
    BatchDone awaitBatchDone(long timeoutNanos, long total) throws RtcatException, InterruptedException {
        awaitUntil(() -> batchDone != null, timeoutNanos, false, () -> throwIfFailed(total, total),
                () -> new RtcatException(Kind.TIMEOUT, "receiver did not confirm the end of the transfer within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s"));
        return batchDone;
    }

    /** Waits for the receiver's done message. */
    Done awaitDone(long timeoutNanos, long total) throws RtcatException, InterruptedException {
        // A stall timeout, not a limit on the whole transfer: on a slow link most of the file may still
        // sit in the send queue when the last byte is handed over, so every acknowledgement restarts it.
        awaitUntil(() -> done != null, timeoutNanos, true, () -> throwIfFailed(total, total),
                () -> new RtcatException(Kind.TIMEOUT, "receiver did not confirm the file: no progress for "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s after all " + total
                        + " bytes were sent (" + acked + " acknowledged)"));
        return done;
    }

    /**
     * After a local send failure, gives the receiver's explanation (an error message or the close
     * notification) a short bounded time to arrive, so the user sees the real cause.
     */
    void awaitExplanation(long timeoutNanos) throws InterruptedException {
        try {
            awaitUntil(() -> error != null || protocolError != null || closedReason != null, timeoutNanos, false,
                    () -> { }, null);
        } catch (RtcatException cannotHappen) {
            throw new IllegalStateException(cannotHappen); // no check, no timeout failure
        }
    }

    static RtcatException closed(long sent, long total) {
        return new RtcatException(Kind.UNAVAILABLE, "peer closed the connection after " + sent + " of " + total
                + " bytes", "check the receiving side for the reason");
    }

    static RtcatException refused(ErrorMessage e) {
        if (ProtocolCodec.CODE_DECLINED.equals(e.code())) {
            return new RtcatException(Kind.FAILED, "the receiver declined the transfer");
        }
        Kind kind = switch (e.code()) {
            case ProtocolCodec.CODE_EXISTS -> Kind.CANT_CREATE;
            case ProtocolCodec.CODE_PROTOCOL, ProtocolCodec.CODE_NAME -> Kind.PROTOCOL;
            default -> Kind.FAILED; // checksum, size, io and codes from future versions
        };
        String hint = ProtocolCodec.CODE_EXISTS.equals(e.code())
                ? "ask the receiver to use --force to overwrite or --rename to keep both"
                : null;
        return new RtcatException(kind, "receiver refused: " + e.message(), hint);
    }

    private void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
