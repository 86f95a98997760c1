package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import io.rtcat.transfer.ProtocolCodec.Message;
import io.rtcat.transfer.ReceiverInbox.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What {@link FileReceiver} and {@link BatchReceiver} do the same way: decoding, pacing acknowledgements,
 * replies to the sender, checks of an offer and its target, and putting a verified temp file in place.
 */
final class ReceiverSupport {

    private static final long MAX_ACK_INTERVAL = 1024 * 1024;
    /** After this long without input, acknowledge what was written so a sender waiting for credit can go on. */
    private static final long IDLE_ACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long DONE_DRAIN_MILLIS = 5_000;
    static final String CONFLICT_HINT = "use --force to overwrite or --rename to keep both";

    /** The work of one receive. */
    interface Body<T> {
        T run() throws RtcatException, InterruptedException;
    }

    /** Acknowledges what was written but not yet acknowledged, if anything. */
    interface PendingAck {
        void sendIfBehind() throws RtcatException, InterruptedException;
    }

    private ReceiverSupport() {
    }

    /**
     * Runs {@code body} with {@code inbox} installed as {@code channel}'s listener. On failure calls
     * {@code abandon} (with the protocol code of a {@link TransferFailure}, else null) and tells the sender
     * why, where it should hear it.
     *
     * @param interrupted the message when the receiving thread is interrupted (asked before {@code abandon})
     */
    static <T> T receive(MessageChannel channel, ReceiverInbox inbox, Body<T> body, Consumer<String> abandon,
            Supplier<String> interrupted) throws RtcatException {
        try {
            return body.run();
        } catch (TransferFailure f) {
            if (Cancellation.interruptedHere() && !ProtocolCodec.CODE_DECLINED.equals(f.code())) {
                // e.g. a file write cut short by the interrupt: the interrupt is the story, not the write
                String message = interrupted.get();
                abandon.accept(null);
                Cancellation.tell(channel, ProtocolCodec.RECEIVER, "interrupted");
                throw new RtcatException(Kind.INTERRUPTED, message, null, f);
            }
            abandon.accept(f.code());
            if (f.kind() == Kind.OUTPUT_CLOSED) {
                Cancellation.tell(channel, ProtocolCodec.RECEIVER, "its output was closed");
            } else {
                tellSender(channel, f.code(), f.peerMessage());
            }
            throw f;
        } catch (RtcatException e) {
            if (Cancellation.interruptedHere() && e.kind() != Kind.PEER_CANCELLED) {
                String message = interrupted.get();
                abandon.accept(null);
                Cancellation.tell(channel, ProtocolCodec.RECEIVER, "interrupted");
                throw new RtcatException(Kind.INTERRUPTED, message, null, e);
            }
            abandon.accept(null);
            throw e;
        } catch (InterruptedException e) {
            String message = interrupted.get();
            abandon.accept(null);
            Cancellation.tell(channel, ProtocolCodec.RECEIVER, "interrupted");
            Thread.currentThread().interrupt();
            throw new RtcatException(Kind.INTERRUPTED, message);
        } finally {
            inbox.stop();
        }
    }

    /** The queue may briefly hold a full window plus one in-flight chunk; twice that means the peer ignores credit. */
    static long queueLimit(long window) {
        return 2 * window + ProtocolCodec.MAX_CHUNK_SIZE;
    }

    /** Written bytes between acknowledgements for a credit {@code window}. */
    static long ackInterval(long window) {
        return Math.max(1, Math.min(MAX_ACK_INTERVAL, window / 4));
    }

    /** Decodes a message from the sender; its {@code cancel} ends the receive at once (PEER_CANCELLED). */
    static Message decode(String text) throws RtcatException {
        Message message;
        try {
            message = ProtocolCodec.decode(text);
        } catch (RtcatException e) {
            throw TransferFailure.of(ProtocolCodec.CODE_PROTOCOL, e);
        }
        if (message instanceof ProtocolCodec.Cancelled c) {
            throw Cancellation.received(c, "");
        }
        return message;
    }

    /** The next event before {@code deadline} (System.nanoTime), or a timeout for a peer that offered nothing. */
    static Event nextBefore(ReceiverInbox inbox, long deadline, Duration timeout)
            throws RtcatException, InterruptedException {
        long left = deadline - System.nanoTime();
        Event event = left > 0 ? inbox.next(left) : null;
        if (event == null) {
            throw new RtcatException(Kind.TIMEOUT, "no file offered by the peer within " + timeout.toSeconds() + " s");
        }
        return event;
    }

    /**
     * The next event; acknowledges written data whenever input pauses, so the sender never starves.
     *
     * @param stalledAt appended to the timeout message after "peer sent nothing for N s"
     */
    static Event nextEvent(ReceiverInbox inbox, Duration idleTimeout, PendingAck ack, Supplier<String> stalledAt)
            throws RtcatException, InterruptedException {
        Event event = inbox.next(IDLE_ACK_NANOS);
        if (event != null) {
            return event;
        }
        ack.sendIfBehind();
        event = inbox.next(idleTimeout.toNanos());
        if (event == null) {
            throw new TransferFailure(Kind.TIMEOUT, "timeout", "peer sent nothing for " + idleTimeout.toSeconds()
                    + " s" + stalledAt.get(), "receiver timed out waiting for data", null);
        }
        return event;
    }

    /** Best effort: tells the sender why the receive failed (also when interrupted, e.g. at the prompt). */
    private static void tellSender(MessageChannel channel, String code, String message) {
        Cancellation.send(channel, DONE_DRAIN_MILLIS, ProtocolCodec.encode(new ErrorMessage(code, message)));
    }

    /** For what is already saved; a peer that left before hearing so does not undo that. */
    static void sendQuietly(MessageChannel channel, Message message) throws InterruptedException {
        try {
            channel.sendText(ProtocolCodec.encode(message));
            channel.drain(DONE_DRAIN_MILLIS);
        } catch (IOException ignored) {
            // see above
        }
    }

    /** Version and chunk size of an offer. */
    static void checkProtocol(FileStart start) throws TransferFailure {
        if (start.protocol() != null && start.protocol() != ProtocolCodec.VERSION) {
            throw protocolFailure("peer speaks file protocol " + start.protocol() + ", this rtcat speaks "
                    + ProtocolCodec.VERSION);
        }
        if (start.chunkSize() != null
                && (start.chunkSize() < 1 || start.chunkSize() > ProtocolCodec.MAX_CHUNK_SIZE)) {
            throw protocolFailure("peer announced an invalid chunk size: " + start.chunkSize());
        }
    }

    /**
     * What is wrong with the length of a file that ended with {@code end}, or null.
     *
     * @param size announced size, negative if unknown
     */
    static String sizeProblem(FileEnd end, long size, long received) {
        if (size >= 0) {
            if (end.size() != null && end.size() != size) {
                return "peer announced " + size + " bytes but ended with " + end.size();
            }
            if (received != size) {
                return "received " + received + " of " + size + " bytes";
            }
        } else if (end.size() == null || end.size() != received) {
            return "received " + received + " bytes but the peer says "
                    + (end.size() == null ? "nothing about the size" : end.size() + " bytes");
        }
        return null;
    }

    /** Resolves an offered name inside {@code directory}. */
    static Path resolve(Path directory, String name) throws TransferFailure {
        try {
            return SafeName.resolve(directory, name);
        } catch (RtcatException e) {
            throw TransferFailure.of(ProtocolCodec.CODE_NAME, e);
        }
    }

    static String relativeName(Path directory, Path path) {
        return directory.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    /** Refuses before any data flows, so the sender does not send gigabytes in vain. */
    static void refuseIfTaken(Path target, String relative, OnExisting onExisting) throws TransferFailure {
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (onExisting == OnExisting.FAIL && exists) {
            throw cannotCreate(target, relative, "file exists", CONFLICT_HINT);
        }
        if (onExisting == OnExisting.OVERWRITE && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw cannotCreate(target, relative, "is a directory", "use --rename to keep both");
        }
    }

    /** A verified and committed temp file moved to {@code target} (or beside it), durably. */
    static Path place(PartFile part, Path target, OnExisting onExisting) throws IOException {
        Path saved = Placement.place(part.path(), target, onExisting);
        part.placed();
        Placement.syncDirectory(saved.getParent());
        return saved;
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

    /**
     * The peer sent more than the {@code size} bytes it announced for {@code relative}.
     *
     * @param prefix put before the local message; {@code suffix} after it (what is left on disk)
     */
    static TransferFailure tooMuchData(String prefix, long size, String relative, String suffix) {
        return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, prefix + "peer sent more than the announced "
                + size + " bytes of " + relative + suffix, "more data than announced for " + relative, null);
    }

    /** Writing or saving {@code relative} failed; {@code message} is the local message. */
    static TransferFailure cannotWrite(String message, String relative) {
        return cannotWrite(message, relative, null);
    }

    /** As above; {@code why} (e.g. "No space left on device") is told the sender too. */
    static TransferFailure cannotWrite(String message, String relative, IOException why) {
        String reason = why instanceof java.nio.file.FileSystemException ? null : why == null ? null : why.getMessage();
        return new TransferFailure(Kind.IO, ProtocolCodec.CODE_IO, message, "receiver could not write " + relative
                + (reason == null ? "" : ": " + reason), "check free space and permissions");
    }

    static TransferFailure protocolFailure(String message) {
        return new TransferFailure(Kind.PROTOCOL, ProtocolCodec.CODE_PROTOCOL, message, message, null);
    }
}
