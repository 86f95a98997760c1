package io.rtcat.signaling;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Set;

/**
 * Keeps Java-WebSocket's selector from going over connections it has nothing to do for.
 *
 * <p>The library's selector loop (1.6.0) removes a key from the selector's selected-key set after an accept or a
 * read, never after a write. A connection that was written to therefore stays in the set, its ready set still
 * saying "writable", until it next sends something; every pass of the loop, one per ready event, calls the write
 * path for it again (on an empty queue). In a relay every connection is written to, so with 2,000 clients the set
 * held most of them and the selector spent most of its time on them: some 100 us of server CPU per relayed message
 * in the load benchmark, and a cost that grows with the number of connections times the number of ready events
 * (README, "where the tail comes from").
 *
 * <p>The loop offers one way to run code on its thread outside its pass over the set: after the pass it calls
 * {@code readMore} on each connection whose channel said {@code isNeedRead()} after a read (meant for TLS, which
 * may hold decrypted bytes). So each plain connection's channel is a {@link PlainChannel} with this sweep: once the
 * set has grown past {@link #SWEEP_AT} keys, the next connection to be read says it needs another read, and its
 * {@code readMore} removes from the set the keys that are ready only for writing but no longer ask to write. The
 * selector reports such a connection again as soon as it is ready for anything it asks for.
 *
 * <p>Everything here runs on the selector's thread: reads, {@code isNeedRead} and {@code readMore} are only called
 * there, and so is the sweep, which may therefore touch the selected-key set.
 */
final class StaleKeySweep {

    /**
     * Stale keys cost the loop about a microsecond each per pass. A sweep costs a pass over the set and one more
     * take of the library's few read buffers, on which the selector may wait for a decoder thread: at 64 (a
     * sweep every few passes under load) the latency tail grew, at 256 it shrank (README).
     */
    static final int SWEEP_AT = 256;

    private final int sweepAt;
    /** A sweep was asked for by one channel and has not run yet (selector thread only). */
    private boolean pending;
    private volatile long sweeps; // written by the selector thread alone
    private volatile long removed;

    StaleKeySweep() {
        this(SWEEP_AT);
    }

    /** @param sweepAt size of the selected-key set above which a sweep is asked for */
    StaleKeySweep(int sweepAt) {
        this.sweepAt = sweepAt;
    }

    /**
     * Asked by the channel of {@code key} after a read (on the selector's thread): whether it should ask the loop
     * for the extra read whose {@link PlainChannel#readMore} runs a sweep. Yes for one channel at a time, once the
     * selected-key set has grown past the threshold.
     */
    boolean wanted(SelectionKey key) {
        if (pending || !key.isValid() || key.selector().selectedKeys().size() <= sweepAt) {
            return false;
        }
        pending = true;
        return true;
    }

    /** Runs the sweep a channel asked for (on the selector's thread, outside the loop's pass over its keys). */
    void run(Selector selector) {
        pending = false;
        sweeps++;
        try {
            removed += sweep(selector);
        } catch (ClosedSelectorException e) {
            // the server is stopping
        }
    }

    /** Sweeps so far, and keys they removed; for tests (read them once the selector is idle). */
    long sweeps() {
        return sweeps;
    }

    long removed() {
        return removed;
    }

    /** Removes from the selected-key set every key that is ready only for a write it no longer asks for. */
    static int sweep(Selector selector) {
        int n = 0;
        Set<SelectionKey> selected = selector.selectedKeys();
        for (Iterator<SelectionKey> i = selected.iterator(); i.hasNext(); ) {
            if (isStale(i.next())) {
                i.remove();
                n++;
            }
        }
        return n;
    }

    /**
     * A key the loop has nothing to do for. One that still holds queued frames stays even so: its write interest
     * was lost (OutQueue.writeInterestLost), and the loop's next pass writes them, as it did before the sweep.
     */
    private static boolean isStale(SelectionKey k) {
        try {
            return !k.isValid() || k.readyOps() == SelectionKey.OP_WRITE
                    && (k.interestOps() & SelectionKey.OP_WRITE) == 0 && !OutQueue.holdsFrames(k.attachment());
        } catch (CancelledKeyException e) {
            return true; // closed by another thread meanwhile: the selector drops it anyway
        }
    }
}
