package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The sending side of a channel, for {@link BatchSender}: sends text and
 * chunks, and turns a failed send into the receiver's own explanation where it gives one.
 */
final class ChannelWriter {

    private static final long EXPLANATION_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * Where the sender stands, for failure messages.
     *
     * @param sent position in the current file
     * @param size of the current file, negative if unknown
     * @param where appended to "sending to peer failed", e.g. " after 10 bytes of a.txt"; may be empty
     */
    record Position(long sent, long size, String where) {
    }

    private final MessageChannel channel;
    private final ReceiverFeedback feedback;
    private final Supplier<Position> position;

    /** @param position asked only when a send fails */
    ChannelWriter(MessageChannel channel, ReceiverFeedback feedback, Supplier<Position> position) {
        this.channel = channel;
        this.feedback = feedback;
        this.position = position;
    }

    void sendText(String text) throws RtcatException, InterruptedException {
        try {
            channel.sendText(text);
        } catch (IOException e) {
            throw sendFailed(e);
        }
    }

    void sendChunk(ByteBuffer data) throws RtcatException, InterruptedException {
        try {
            channel.sendBinary(data);
        } catch (IOException e) {
            throw sendFailed(e);
        }
    }

    void drain(long timeoutMillis) throws RtcatException, InterruptedException {
        try {
            channel.drain(timeoutMillis);
        } catch (IOException e) {
            throw sendFailed(e);
        }
    }

    /** Prefers the receiver's own explanation (error message or close) over the local I/O error. */
    private RtcatException sendFailed(IOException e) throws InterruptedException {
        feedback.awaitExplanation(EXPLANATION_GRACE_NANOS);
        Position at = position.get();
        try {
            feedback.throwIfFailed(at.sent(), at.size());
        } catch (RtcatException explained) {
            return explained;
        }
        if (!channel.isOpen()) {
            return ReceiverFeedback.closed(at.sent(), at.size());
        }
        return new RtcatException(Kind.UNAVAILABLE, "sending to peer failed" + at.where() + ": "
                + FileSource.reason(e), null, e);
    }

    /** Best effort: lets the receiver stop waiting (and discard its partial file). */
    void tellReceiver(String code, String message) {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.sendText(ProtocolCodec.encode(new ErrorMessage(code, message)));
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
