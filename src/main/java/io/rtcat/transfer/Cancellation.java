package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.Cancelled;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Telling the peer that this side stops on purpose, and what the peer's {@code cancel} means here. Sent while the
 * thread may be interrupted (that is often why it is sent), so the flag is set aside for the send and restored.
 */
final class Cancellation {

    /** Long enough for a short message to leave on a live connection; short against the 5 s signal grace. */
    private static final long DRAIN_MILLIS = 1000;
    /**
     * How long, after that, to wait for the peer to hang up: with the drain, within the 5 s signal grace, and
     * enough for a loaded machine where packets before the cancel need retransmitting.
     */
    static final long HANG_UP_WAIT_MILLIS = 2500;

    private Cancellation() {
    }

    /**
     * Best effort: sends {@code cancel} (and, for peers that predate it, an {@code error} with code
     * {@code cancelled}) and waits briefly for it to leave.
     *
     * @param by {@link ProtocolCodec#SENDER} or {@link ProtocolCodec#RECEIVER}: this side
     */
    static void tell(MessageChannel channel, String by, String reason) {
        tell(channel, by, reason, HANG_UP_WAIT_MILLIS);
    }

    static void tell(MessageChannel channel, String by, String reason, long hangUpWaitMillis) {
        send(channel, DRAIN_MILLIS, ProtocolCodec.encode(new Cancelled(by, reason)),
                ProtocolCodec.encode(new ErrorMessage(ProtocolCodec.CODE_CANCELLED, "the " + by + " cancelled: "
                        + reason)));
        awaitHangUp(channel, hangUpWaitMillis);
    }

    /**
     * Waits (at most {@code millis}, whatever the interrupt flag says) for the peer to close the channel: its
     * answer to the cancel, and so the sign that the cancel arrived. A drained send buffer is not: a packet
     * lost before the cancel still needs a retransmission, which closing the connection now would cut off, and
     * the peer would then see only "peer closed the connection" (seen in a CI run on a loaded machine).
     */
    static void awaitHangUp(MessageChannel channel, long millis) {
        boolean interrupted = Thread.interrupted();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (channel.isOpen() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // no close callback to wait on here
                interrupted |= Thread.interrupted();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends {@code texts} in order and drains (at most {@code drainMillis}, or 1 s on an interrupted thread),
     * whatever the interrupt flag says; never throws.
     */
    static void send(MessageChannel channel, long drainMillis, String... texts) {
        if (!channel.isOpen()) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            for (String text : texts) {
                channel.sendText(text);
            }
            channel.drain(interrupted ? Math.min(drainMillis, DRAIN_MILLIS) : drainMillis);
        } catch (IOException ignored) {
            // the peer is gone; it will notice the closed connection instead
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The failure for a {@code cancel} received from the peer. */
    static RtcatException received(Cancelled c, String leftover) {
        String who = ProtocolCodec.SENDER.equals(c.by()) || ProtocolCodec.RECEIVER.equals(c.by()) ? c.by() : "peer";
        return new RtcatException(Kind.PEER_CANCELLED, "the " + who + " cancelled: " + ProtocolCodec.echo(c.reason())
                + leftover);
    }

    /** Whether this thread was interrupted (the flag survives e.g. a FileChannel closed by the interrupt). */
    static boolean interruptedHere() {
        return Thread.currentThread().isInterrupted();
    }
}
