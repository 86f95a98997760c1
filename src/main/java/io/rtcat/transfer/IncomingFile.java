package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.Sinks.Sink;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * One file while it arrives: where it stands, its hash so far and the {@link Sink} it goes to; verified against
 * what the sender announced before it is committed.
 */
final class IncomingFile {

    /** A file saved (or written to the stream) and verified. */
    record Saved(Path path, String sha256, boolean verified) {
    }

    final String name; // as offered
    final String relative; // as named in messages
    final long size; // negative if unknown
    final long resumed; // bytes already present at the start
    private final MessageDigest digest;
    private long position;
    private long acked;
    private Sink sink; // null once committed or abandoned
    private Long mtime;
    private String listedSha;

    /** @param digest already fed with what is present before {@code offset} (by the sink's factory) */
    IncomingFile(String name, String relative, long size, long offset, MessageDigest digest) {
        this.name = name;
        this.relative = relative;
        this.size = size;
        this.resumed = offset;
        this.position = offset;
        this.acked = offset;
        this.digest = digest;
    }

    /** Where the content goes, and what the sender said about it before the data. */
    void open(Sink sink, Long mtimeMillis, String listedSha256) {
        this.sink = sink;
        this.mtime = mtimeMillis;
        this.listedSha = listedSha256;
    }

    long position() {
        return position;
    }

    /** Whether written data awaits an acknowledgement of at least {@code interval} bytes (1: any). */
    boolean ackDue(long interval) {
        return position - acked >= interval;
    }

    /** The position was acknowledged. */
    void acked() {
        acked = position;
    }

    /** @param unknownLimit most bytes accepted for a file of unknown size */
    void write(byte[] data, long unknownLimit) throws RtcatException {
        if (size >= 0 && position + data.length > size) {
            throw ReceiveFailures.tooMuchData(sink.corrupt(), size, relative, sink.discarded());
        }
        if (size < 0 && position + data.length > unknownLimit) {
            throw ReceiveFailures.unknownSizeOverLimit(sink.corrupt(), relative, unknownLimit, sink.discarded());
        }
        try {
            sink.write(data);
        } catch (IOException e) {
            throw sink.writeFailed(e, position, relative);
        }
        digest.update(data);
        position += data.length;
    }

    /** The sender says the file is complete: checks length and hash, then puts it in place. */
    Saved finish(FileEnd end) throws RtcatException {
        String sizeProblem = sizeProblem(end);
        if (sizeProblem != null) {
            throw ReceiveFailures.sizeMismatch(sink.corrupt(), sizeProblem, relative, sink.discarded());
        }
        String actual = Sha256.hex(digest);
        String expected = end.sha256() != null ? end.sha256() : listedSha;
        for (String claimed : new String[] {end.sha256(), listedSha}) {
            if (claimed != null && !claimed.equals(actual)) {
                throw ReceiveFailures.checksumMismatch(sink.corrupt(), relative, claimed, actual, sink.discarded());
            }
        }
        Path saved;
        try {
            saved = sink.commit(mtime);
        } catch (FileAlreadyExistsException e) {
            throw ReceiveFailures.exists(relative, sink.leftover());
        } catch (IOException e) {
            throw ReceiveFailures.cannotWrite("saving " + relative + " failed: " + FileSource.reason(e)
                    + sink.leftover(), relative);
        }
        sink = null;
        return new Saved(saved, actual, expected != null);
    }

    /** What is wrong with the length of the file, or null. */
    private String sizeProblem(FileEnd end) {
        if (size >= 0) {
            if (end.size() != null && end.size() != size) {
                return "peer announced " + size + " bytes but ended with " + end.size();
            }
            if (position != size) {
                return "received " + position + " of " + size + " bytes";
            }
        } else if (end.size() == null || end.size() != position) {
            return "received " + position + " bytes but the peer says "
                    + (end.size() == null ? "nothing about the size" : end.size() + " bytes");
        }
        return null;
    }

    /** The receive failed; a checksum or size failure means the data written must not be resumed. */
    void abandon(String code) {
        if (sink != null) {
            sink.abandon(ProtocolCodec.CODE_CHECKSUM.equals(code) || ProtocolCodec.CODE_SIZE.equals(code));
            sink = null;
        }
    }

    /** Whether content is still being written (not yet committed or abandoned). */
    boolean writing() {
        return sink != null;
    }

    /** Appended to failure messages: what is left on disk. */
    String leftover() {
        return sink == null ? "" : sink.leftover();
    }

    /** Appended to failure messages, e.g. " after 10 of 20 bytes of a.txt; nothing was saved". */
    String where() {
        return " after " + position + (size >= 0 ? " of " + size : "") + " bytes of " + name + leftover();
    }
}
