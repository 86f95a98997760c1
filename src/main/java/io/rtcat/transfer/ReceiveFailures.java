package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every way a receive fails, in one place. A {@link TransferFailure} carries the protocol code and a message safe
 * for the peer (no local absolute paths); a plain {@link RtcatException} is for failures the peer caused or
 * already knows about.
 */
final class ReceiveFailures {

    static final String CONFLICT_HINT = "use --force to overwrite or --rename to keep both";

    private ReceiveFailures() {
    }

    static TransferFailure protocol(String message) {
        return new TransferFailure(Kind.PROTOCOL, ProtocolCodec.CODE_PROTOCOL, message, message, null);
    }

    static TransferFailure name(String message) {
        return new TransferFailure(Kind.PROTOCOL, ProtocolCodec.CODE_NAME, message, message, null);
    }

    static TransferFailure declined(int files) {
        return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_DECLINED, "declined the transfer of "
                + files + (files == 1 ? " file" : " files") + "; nothing was saved",
                "the receiver declined the transfer", null);
    }

    /** An announced size over the limit: refused before the prompt, nothing written. */
    static TransferFailure overLimit(Manifest.Entry e, long limit) {
        return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_DECLINED, DisplayName.of(e.name()) + " is "
                + e.size() + " bytes, more than the " + limit + " this receiver accepts (--max-size); nothing was saved",
                "the receiver accepts files of at most " + limit + " bytes", null);
    }

    static TransferFailure unknownSizeOverLimit(String corrupt, String relative, long limit, String discarded) {
        return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, corrupt + relative
                + " of unknown size passed " + limit + " bytes, the most this receiver accepts (--max-size)"
                + discarded, "the receiver accepts at most " + limit + " bytes of unknown size", null);
    }

    static TransferFailure stdoutNeedsOneFile(int n) {
        return new TransferFailure(Kind.USAGE, ProtocolCodec.CODE_PROTOCOL,
                "--stdout needs exactly one file; the sender offers " + n,
                "the receiver writes to standard output and needs exactly one file, not " + n,
                "send one file at a time, or receive into a directory");
    }

    static TransferFailure cannotCreate(Path target, String relative, String reason, String hint) {
        return new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_EXISTS, "cannot create " + target + ": "
                + reason, "cannot create " + relative + ": " + reason, hint);
    }

    /** The file (or a temp file for it) could not be created. */
    static TransferFailure cannotCreate(Path target, String relative, IOException e) {
        return new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_IO, "cannot create " + target + ": "
                + FileSource.reason(e), "cannot create " + relative + " on the receiving side", null);
    }

    /** Saving found the target taken after all (it appeared while the data flowed). */
    static TransferFailure exists(String relative, String leftover) {
        return new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_EXISTS, "cannot create " + relative
                + ": file exists" + leftover, "cannot create " + relative + ": file exists", CONFLICT_HINT);
    }

    static TransferFailure escapes(Path directory, Path target, String relative, Path link) {
        return new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_NAME, "cannot create " + target + ": "
                + link + " is a symbolic link leading outside " + directory + "; nothing was saved",
                "cannot create " + relative + ": it would be written through a symbolic link",
                "remove the link or receive into another directory");
    }

    static RtcatException cannotUse(Path directory, IOException e) {
        return new RtcatException(Kind.CANT_CREATE, "cannot use " + directory + ": " + FileSource.reason(e));
    }

    static TransferFailure cannotRead(Path target, String relative, IOException e) {
        return new TransferFailure(Kind.IO, ProtocolCodec.CODE_IO, "reading " + target + " failed: "
                + FileSource.reason(e), "receiver could not read " + relative, null);
    }

    /**
     * The peer sent more than the {@code size} bytes it announced for {@code relative}.
     *
     * @param prefix put before the local message; {@code suffix} after it (what is left on disk)
     */
    static TransferFailure tooMuchData(String prefix, long size, String relative, String suffix) {
        return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, prefix + "peer sent more than the announced "
                + size + " bytes of " + relative + suffix, "more data than announced for " + relative, null);
    }

    static TransferFailure sizeMismatch(String corrupt, String detail, String relative, String discarded) {
        return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, corrupt + detail + " for " + relative
                + discarded, detail + " for " + relative, "send the file again");
    }

    static TransferFailure checksumMismatch(String corrupt, String relative, String claimed, String actual,
            String discarded) {
        return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_CHECKSUM, corrupt + "checksum mismatch for "
                + relative + ": sender says " + claimed + ", received data hashes to " + actual + discarded,
                "checksum mismatch for " + relative, "send the file again");
    }

    /** Writing or saving {@code relative} failed; {@code message} is the local message. */
    static TransferFailure cannotWrite(String message, String relative) {
        return cannotWrite(message, relative, null);
    }

    /** As above; {@code why} (e.g. "No space left on device") is told the sender too. */
    static TransferFailure cannotWrite(String message, String relative, IOException why) {
        String reason = why instanceof FileSystemException ? null : why == null ? null : why.getMessage();
        return new TransferFailure(Kind.IO, ProtocolCodec.CODE_IO, message, "receiver could not write " + relative
                + (reason == null ? "" : ": " + reason), "check free space and permissions");
    }

    /** {@code receive --stdout | head -c 100}: the reader has all it wanted; the sender is told we cancel. */
    static TransferFailure outputClosed(long position, String relative) {
        return new TransferFailure(Kind.OUTPUT_CLOSED, ProtocolCodec.CODE_CANCELLED,
                "standard output was closed after " + position + " bytes of " + relative,
                "the receiver's output was closed", null);
    }

    static TransferFailure idle(Duration idleTimeout, String stalledAt) {
        return new TransferFailure(Kind.TIMEOUT, "timeout", "peer sent nothing for " + idleTimeout.toSeconds()
                + " s" + stalledAt, "receiver timed out waiting for data", null);
    }

    static RtcatException nothingOffered(Duration timeout) {
        return new RtcatException(Kind.TIMEOUT, "no file offered by the peer within " + timeout.toSeconds() + " s");
    }

    static RtcatException senderAborted(ErrorMessage e, String leftover) {
        return new RtcatException(Kind.FAILED, "sender aborted: " + e.message() + leftover);
    }

    static RtcatException closed(String when) {
        return new RtcatException(Kind.UNAVAILABLE, "peer closed the connection " + when);
    }

    static RtcatException unreachable(IOException e, String leftover) {
        return new RtcatException(Kind.UNAVAILABLE, "cannot reach the peer: " + FileSource.reason(e) + leftover);
    }
}
