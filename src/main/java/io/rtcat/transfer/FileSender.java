package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.Done;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
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

    private final int chunkSize;
    private final Duration helloTimeout;
    private final Duration doneTimeout;
    private final LongConsumer progress;
    private volatile ReceiverFeedback lastFeedback;
    private volatile long pathRttNanos = -1;

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
        this.chunkSize = ChunkReader.checkChunkSize(chunkSize);
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
        ReceiverFeedback feedback = new ReceiverFeedback(new Pacer(System::nanoTime, pathRttNanos));
        lastFeedback = feedback;
        channel.setListener(feedback);
        Transfer transfer = new Transfer(channel, source, feedback);
        try {
            return transfer.run();
        } catch (InterruptedException e) {
            Cancellation.tell(channel, ProtocolCodec.SENDER, "interrupted");
            Thread.currentThread().interrupt();
            throw new RtcatException(Kind.INTERRUPTED, "sending " + source.name() + " was interrupted after "
                    + transfer.sent + " of " + source.size() + " bytes");
        }
    }

    /** State of one send; lives for one call of {@link #send}. */
    private final class Transfer extends ChannelWriter.Position {
        private final MessageChannel channel;
        private final TransferSource source;
        private final ReceiverFeedback feedback;
        private final ChannelWriter writer;

        Transfer(MessageChannel channel, TransferSource source, ReceiverFeedback feedback) {
            this.channel = channel;
            this.source = source;
            this.feedback = feedback;
            this.writer = new ChannelWriter(channel, feedback, this);
            this.size = source.size();
        }

        @Override
        String where() {
            return " after " + sent + " of " + size + " bytes";
        }

        SendResult run() throws RtcatException, InterruptedException {
            int chunk = ChunkReader.chunkFor(chunkSize, channel);
            MessageDigest digest = Sha256.newDigest();
            ChunkReader in = new ChunkReader(source, "the file", writer);
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
                    in.readExactly(buffer, n, sent);
                    digest.update(buffer.array(), 0, n);
                    feedback.awaitCredit(sent, n, size, stallNanos);
                    writer.sendChunk(buffer);
                    sent += n;
                    progress.accept(sent);
                }
                in.checkNoExtraBytes(buffer, size, "at its end");
                String sha256 = Sha256.hex(digest);
                sendText(new FileEnd(sha256, size));
                return finish(start, sha256);
            } finally {
                in.close();
            }
        }

        private SendResult finish(long start, String sha256) throws RtcatException, InterruptedException {
            if (!feedback.helloSeen()) {
                // A browser receiver confirms nothing; just make sure everything left this process.
                writer.drain(doneTimeout.toMillis());
                return new SendResult(source.name(), size, sha256, start, System.nanoTime(), false, null);
            }
            Done done = feedback.awaitDone(doneTimeout.toNanos(), size);
            if (!sha256.equals(done.sha256()) || done.bytes() != size) {
                throw new RtcatException(Kind.FAILED, "receiver saved " + done.bytes() + " bytes with sha256 "
                        + done.sha256() + " but " + size + " bytes with sha256 " + sha256 + " were sent");
            }
            return new SendResult(source.name(), size, sha256, start, System.nanoTime(), true, done.name());
        }

        private void sendText(ProtocolCodec.Message message) throws RtcatException, InterruptedException {
            writer.sendText(ProtocolCodec.encode(message));
        }

        /** Best effort: lets the receiver discard its partial file instead of waiting. */
        void tellReceiver(String code, String message) {
            writer.tellReceiver(code, message);
        }
    }

    /** The round trip the connection measured (ICE), for pacing; null or NaN if unknown (see BatchSender). */
    public FileSender withPathRtt(Double millis) {
        pathRttNanos = millis == null || millis.isNaN() || millis <= 0 ? -1 : (long) (millis * 1e6);
        return this;
    }

    /** What pacing saw and did in the latest {@code send}, or null before one. */
    public PacingSummary pacing() {
        ReceiverFeedback f = lastFeedback;
        return f == null ? null : f.pacing();
    }
}
