package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;

/**
 * Reads one {@link TransferSource} for {@link BatchSender}: exact chunks into a reused buffer, and detection of a
 * source that shrank or grew while being sent (which would otherwise arrive silently truncated). It only reads
 * and says what went wrong ({@link SourceChanged}, {@link ReadFailed}); what the receiver hears is the sender's
 * decision.
 */
final class ChunkReader implements AutoCloseable {

    /** The source no longer matches what was announced: it shrank, grew or changed. */
    static final class SourceChanged extends RtcatException {
        SourceChanged(TransferSource source, String how) {
            super(Kind.IO, source + " changed while being sent: " + how, "send it again once nothing is writing to it");
        }
    }

    /** Reading the source failed. */
    static final class ReadFailed extends RtcatException {
        ReadFailed(TransferSource source, String at, IOException e) {
            super(Kind.IO, "reading " + source + " failed " + at + ": " + FileSource.reason(e), null, e);
        }
    }

    private final TransferSource source;
    private final ReadableByteChannel in;

    /** Opens {@code source}. */
    ChunkReader(TransferSource source) throws RtcatException {
        this.source = source;
        this.in = open(source);
    }

    /** Checks a configured chunk size: bytes per binary message, 1..{@link ProtocolCodec#MAX_CHUNK_SIZE}. */
    static int checkChunkSize(int chunkSize) {
        if (chunkSize < 1 || chunkSize > ProtocolCodec.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be 1.." + ProtocolCodec.MAX_CHUNK_SIZE + ": " + chunkSize);
        }
        return chunkSize;
    }

    /** The chunk size to use on {@code channel}: the configured one, capped by the channel's maximum. */
    static int chunkFor(int chunkSize, MessageChannel channel) {
        return Math.max(1, Math.min(chunkSize, channel.maxMessageSize()));
    }

    static ReadableByteChannel open(TransferSource source) throws RtcatException {
        try {
            return source.open();
        } catch (IOException e) {
            throw new RtcatException(Kind.NO_INPUT, "cannot read " + source + ": " + FileSource.reason(e));
        }
    }

    /** Hashes the first {@code offset} bytes without sending them; {@code sent} is where the sender stands. */
    void skip(ByteBuffer buffer, long offset, MessageDigest digest, long sent) throws SourceChanged, ReadFailed {
        long left = offset;
        try {
            while (left > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int n = in.read(buffer);
                if (n < 0) {
                    throw new SourceChanged(source, "it shrank below " + offset + " bytes");
                }
                digest.update(buffer.array(), 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw new ReadFailed(source, "after " + sent + " bytes", e);
        }
    }

    /** Reads exactly {@code n} bytes into {@code buffer}, flipped for sending; {@code sent} bytes came before. */
    void readExactly(ByteBuffer buffer, int n, long sent) throws SourceChanged, ReadFailed {
        buffer.clear().limit(n);
        try {
            while (buffer.hasRemaining()) {
                if (in.read(buffer) < 0) {
                    throw new SourceChanged(source, "it shrank to " + (sent + buffer.position()) + " bytes");
                }
            }
        } catch (IOException e) {
            throw new ReadFailed(source, "after " + sent + " bytes", e);
        }
        buffer.flip();
    }

    /** For a pipe: whatever one read returns (at least one byte), or -1 at its end. */
    int readSome(ByteBuffer buffer, long sent) throws ReadFailed {
        buffer.clear();
        try {
            int n = readSomething(buffer);
            if (n > 0) {
                buffer.flip();
            }
            return n;
        } catch (IOException e) {
            throw new ReadFailed(source, "after " + sent + " bytes", e);
        }
    }

    /**
     * Fails if the source holds more than its {@code size} bytes.
     *
     * @param at where a read failure happened, e.g. "after 10 bytes"
     */
    void checkNoExtraBytes(ByteBuffer buffer, long size, String at) throws SourceChanged, ReadFailed {
        buffer.clear().limit(1);
        try {
            if (readSomething(buffer) > 0) {
                throw new SourceChanged(source, "it grew beyond " + size + " bytes");
            }
        } catch (IOException e) {
            throw new ReadFailed(source, at, e);
        }
    }

    /** One read that returns something: at least one byte (if there is room), or -1 at the end. */
    private int readSomething(ByteBuffer buffer) throws IOException {
        int n;
        do {
            n = in.read(buffer);
        } while (n == 0);
        return n;
    }

    /** Everything needed was read; a close failure changes nothing. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // see above
        }
    }
}
