package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.Done;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Sends one file over a {@link MessageChannel} using protocol v1. Reads the source once through a
 * single reusable chunk buffer, hashing as it goes, so memory stays bounded for any file size.
 * Against an rtcat receiver (which says hello) it respects the credit window and waits for the
 * receiver's confirmation; against a plain browser page it relies on channel backpressure alone.
 */
public final class FileSender {

    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DONE_TIMEOUT = Duration.ofSeconds(60);
    private static final long EXPLANATION_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final int chunkSize;
    private final Duration helloTimeout;
    private final Duration doneTimeout;
    private final LongConsumer progress;

    public FileSender() {
        this(ProtocolCodec.DEFAULT_CHUNK_SIZE, DEFAULT_HELLO_TIMEOUT, DEFAULT_DONE_TIMEOUT, bytes -> { });
    }

    /**
     * @param chunkSize bytes per binary message, 1..262144 (further capped by the channel's maximum)
     * @param helloTimeout how long to wait after file-start for the receiver's hello before assuming a browser
     * @param doneTimeout how long to wait for the receiver's confirmation, and the longest acceptable stall
     *     in acknowledgements
     * @param progress called with the bytes sent so far, at most once per chunk
     */
    public FileSender(int chunkSize, Duration helloTimeout, Duration doneTimeout, LongConsumer progress) {
        if (chunkSize < 1 || chunkSize > ProtocolCodec.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be 1.." + ProtocolCodec.MAX_CHUNK_SIZE + ": " + chunkSize);
        }
        this.chunkSize = chunkSize;
        this.helloTimeout = Objects.requireNonNull(helloTimeout, "helloTimeout");
        this.doneTimeout = Objects.requireNonNull(doneTimeout, "doneTimeout");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Sends {@code source}; returns once the receiver confirmed (rtcat) or everything was flushed (browser). */
    public SendResult send(MessageChannel channel, TransferSource source) throws RtcatException {
        if (source.size() < 0) {
            throw new RtcatException(Kind.USAGE, "cannot send " + source + ": its size is unknown",
                    "use the batch sender for pipes");
        }
        ReceiverFeedback feedback = new ReceiverFeedback();
        channel.setListener(feedback);
        Transfer transfer = new Transfer(channel, source, feedback);
        try {
            return transfer.run();
        } catch (InterruptedException e) {
            transfer.tellReceiver("aborted", "sender was interrupted");
            Thread.currentThread().interrupt();
            throw new RtcatException(Kind.INTERRUPTED, "sending " + source.name() + " was interrupted after "
                    + transfer.sent + " of " + source.size() + " bytes");
        }
    }

    /** State of one send; lives for one call of {@link #send}. */
    private final class Transfer {
        private final MessageChannel channel;
        private final TransferSource source;
        private final ReceiverFeedback feedback;
        private final long size;
        private long sent;

        Transfer(MessageChannel channel, TransferSource source, ReceiverFeedback feedback) {
            this.channel = channel;
            this.source = source;
            this.feedback = feedback;
            this.size = source.size();
        }

        SendResult run() throws RtcatException, InterruptedException {
            int chunk = Math.max(1, Math.min(chunkSize, channel.maxMessageSize()));
            MessageDigest digest = Sha256.newDigest();
            ReadableByteChannel in = openSource();
            try {
                long start = System.nanoTime();
                Long mtime = source.mtimeMillis() >= 0 ? source.mtimeMillis() : null;
                sendText(new FileStart(source.name(), size, ProtocolCodec.totalChunks(size, chunk),
                        ProtocolCodec.VERSION, chunk, mtime, null));
                feedback.awaitHello(helloTimeout.toNanos(), 0, size);

                ByteBuffer buffer = ByteBuffer.allocate(chunk); // reused; sendBinary copies before returning
                long stallNanos = doneTimeout.toNanos();
                while (sent < size) {
                    int n = (int) Math.min(chunk, size - sent);
                    readChunk(in, buffer, n);
                    digest.update(buffer.array(), 0, n);
                    feedback.awaitCredit(sent, n, size, stallNanos);
                    sendChunk(buffer);
                    sent += n;
                    progress.accept(sent);
                }
                checkNoExtraBytes(in, buffer);
                String sha256 = Sha256.hex(digest);
                sendText(new FileEnd(sha256, size));
                return finish(start, sha256);
            } finally {
                closeQuietly(in);
            }
        }

        private void closeQuietly(ReadableByteChannel in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // everything needed was read; a close failure changes nothing
            }
        }

        private SendResult finish(long start, String sha256) throws RtcatException, InterruptedException {
            if (!feedback.helloSeen()) {
                // A browser receiver confirms nothing; just make sure everything left this process.
                drain();
                return new SendResult(source.name(), size, sha256, start, System.nanoTime(), false, null);
            }
            Done done = feedback.awaitDone(doneTimeout.toNanos(), size);
            if (!sha256.equals(done.sha256()) || done.bytes() != size) {
                throw new RtcatException(Kind.FAILED, "receiver saved " + done.bytes() + " bytes with sha256 "
                        + done.sha256() + " but " + size + " bytes with sha256 " + sha256 + " were sent");
            }
            return new SendResult(source.name(), size, sha256, start, System.nanoTime(), true, done.name());
        }

        private ReadableByteChannel openSource() throws RtcatException {
            try {
                return source.open();
            } catch (IOException e) {
                throw new RtcatException(Kind.NO_INPUT, "cannot read " + source + ": " + FileSource.reason(e));
            }
        }

        private void readChunk(ReadableByteChannel in, ByteBuffer buffer, int n) throws RtcatException {
            buffer.clear().limit(n);
            try {
                while (buffer.hasRemaining()) {
                    if (in.read(buffer) < 0) {
                        throw sourceChanged("it shrank to " + (sent + buffer.position()) + " bytes");
                    }
                }
            } catch (IOException e) {
                tellReceiver(ProtocolCodec.CODE_IO, "sender could not read the file");
                throw new RtcatException(Kind.IO, "reading " + source + " failed after " + sent + " bytes: "
                        + FileSource.reason(e));
            }
            buffer.flip();
        }

        /** A file that grows while being sent would otherwise arrive silently truncated. */
        private void checkNoExtraBytes(ReadableByteChannel in, ByteBuffer buffer) throws RtcatException {
            buffer.clear().limit(Math.min(1, buffer.capacity()));
            try {
                int n;
                do {
                    n = in.read(buffer);
                } while (n == 0 && buffer.hasRemaining());
                if (n > 0) {
                    throw sourceChanged("it grew beyond " + size + " bytes");
                }
            } catch (IOException e) {
                tellReceiver(ProtocolCodec.CODE_IO, "sender could not read the file");
                throw new RtcatException(Kind.IO, "reading " + source + " failed at its end: " + FileSource.reason(e));
            }
        }

        private RtcatException sourceChanged(String how) {
            tellReceiver(ProtocolCodec.CODE_IO, "the file changed while being sent");
            return new RtcatException(Kind.IO, source + " changed while being sent: " + how,
                    "send it again once nothing is writing to it");
        }

        private void sendText(ProtocolCodec.Message message) throws RtcatException, InterruptedException {
            try {
                channel.sendText(ProtocolCodec.encode(message));
            } catch (IOException e) {
                throw sendFailed(e);
            }
        }

        private void sendChunk(ByteBuffer buffer) throws RtcatException, InterruptedException {
            try {
                channel.sendBinary(buffer);
            } catch (IOException e) {
                throw sendFailed(e);
            }
        }

        private void drain() throws RtcatException, InterruptedException {
            try {
                channel.drain(doneTimeout.toMillis());
            } catch (IOException e) {
                throw sendFailed(e);
            }
        }

        /** Prefers the receiver's own explanation (error message or close) over the local I/O error. */
        private RtcatException sendFailed(IOException e) throws InterruptedException {
            feedback.awaitExplanation(EXPLANATION_GRACE_NANOS);
            try {
                feedback.throwIfFailed(sent, size);
            } catch (RtcatException explained) {
                return explained;
            }
            if (!channel.isOpen()) {
                return ReceiverFeedback.closed(sent, size);
            }
            return new RtcatException(Kind.UNAVAILABLE, "sending to peer failed after " + sent + " of " + size
                    + " bytes: " + FileSource.reason(e), null, e);
        }

        /** Best effort: lets the receiver discard its partial file instead of waiting. */
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
}
