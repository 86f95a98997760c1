package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.Ack;
import io.rtcat.transfer.ProtocolCodec.Done;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import io.rtcat.transfer.ProtocolCodec.Hello;
import io.rtcat.transfer.ProtocolCodec.Message;
import io.rtcat.transfer.ReceiverInbox.Binary;
import io.rtcat.transfer.ReceiverInbox.Closed;
import io.rtcat.transfer.ReceiverInbox.Event;
import io.rtcat.transfer.ReceiverInbox.Overflow;
import io.rtcat.transfer.ReceiverInbox.Text;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Receives one file per {@link #receive} call into a target directory using protocol v1.
 *
 * <p>Channel callbacks only queue; the calling thread writes to a hidden temp file, acknowledges
 * progress (the sender's credit), verifies size and sha256, syncs, and only then moves the file
 * to its final name. Any failure removes the temp file, so a target name either holds the
 * complete verified file or is untouched.
 */
public final class FileReceiver {

    public static final long DEFAULT_WINDOW = 16L * 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    private static final long MAX_ACK_INTERVAL = 1024 * 1024;
    /** After this long without input, acknowledge what was written so a sender waiting for credit can go on. */
    private static final long IDLE_ACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long DONE_DRAIN_MILLIS = 5_000;
    private static final String CONFLICT_HINT = "use --force to overwrite or --rename to keep both";

    private final Path directory;
    private final OnExisting onExisting;
    private final long window;
    private final LongConsumer progress;
    private final Duration idleTimeout;
    private final PartFile.WriteHook writeHook;
    private final AtomicLong maxQueuedBytes = new AtomicLong();

    public FileReceiver(Path directory, OnExisting onExisting) {
        this(directory, onExisting, DEFAULT_WINDOW, bytes -> { });
    }

    /**
     * @param directory where files are saved; offered names are resolved inside it
     * @param window bytes the sender may have unacknowledged; also bounds the receiver's queue
     * @param progress called with the bytes written so far, at most once per chunk
     */
    public FileReceiver(Path directory, OnExisting onExisting, long window, LongConsumer progress) {
        this(directory, onExisting, window, progress, DEFAULT_IDLE_TIMEOUT, null);
    }

    private FileReceiver(Path directory, OnExisting onExisting, long window, LongConsumer progress,
            Duration idleTimeout, PartFile.WriteHook writeHook) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.directory = directory.toAbsolutePath().normalize();
        this.onExisting = Objects.requireNonNull(onExisting, "onExisting");
        this.window = window;
        this.progress = Objects.requireNonNull(progress, "progress");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.writeHook = writeHook;
    }

    /** A copy that gives up when the sender goes silent mid-file for {@code timeout}. */
    public FileReceiver withIdleTimeout(Duration timeout) {
        return new FileReceiver(directory, onExisting, window, progress, timeout, writeHook);
    }

    /** Test seam: a copy whose disk writes go through {@code hook}. */
    FileReceiver withWriteHook(PartFile.WriteHook hook) {
        return new FileReceiver(directory, onExisting, window, progress, idleTimeout, hook);
    }

    /** Largest backlog of received-but-unwritten bytes seen so far, for tests of flow control. */
    long maxQueuedBytes() {
        return maxQueuedBytes.get();
    }

    /**
     * Installs itself as {@code channel}'s listener, says hello, and blocks until one file has been
     * received and saved.
     *
     * @param firstMessageTimeout how long to wait for the sender's file-start
     */
    public ReceiveResult receive(MessageChannel channel, Duration firstMessageTimeout) throws RtcatException {
        // The queue may briefly hold a full window plus one in-flight chunk; twice that means the peer ignores credit.
        long queueLimit = 2 * window + ProtocolCodec.MAX_CHUNK_SIZE;
        ReceiverInbox inbox = new ReceiverInbox(queueLimit, maxQueuedBytes);
        channel.setListener(inbox);
        Reception reception = new Reception(channel, inbox);
        try {
            return reception.run(firstMessageTimeout);
        } catch (TransferFailure f) {
            reception.discard();
            tellSender(channel, f);
            throw f;
        } catch (RtcatException e) {
            reception.discard();
            throw e;
        } catch (InterruptedException e) {
            reception.discard();
            tellSender(channel, new TransferFailure(Kind.INTERRUPTED, "aborted", "", "receiver was interrupted", null));
            Thread.currentThread().interrupt();
            throw new RtcatException(Kind.INTERRUPTED, "receiving into " + directory + " was interrupted");
        } finally {
            inbox.stop();
        }
    }

    private static void tellSender(MessageChannel channel, TransferFailure f) {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.sendText(ProtocolCodec.encode(new ErrorMessage(f.code(), f.peerMessage())));
            channel.drain(DONE_DRAIN_MILLIS);
        } catch (IOException ignored) {
            // the peer is gone; the local failure is what matters
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** State of one receive. */
    private final class Reception {
        private final MessageChannel channel;
        private final ReceiverInbox inbox;
        private final long ackInterval = Math.max(1, Math.min(MAX_ACK_INTERVAL, window / 4));
        private final long start = System.nanoTime();
        private FileStart offer;
        private Path target;
        private String relativeName;
        private PartFile part;
        private long written;
        private long acked;

        Reception(MessageChannel channel, ReceiverInbox inbox) {
            this.channel = channel;
            this.inbox = inbox;
        }

        ReceiveResult run(Duration firstMessageTimeout) throws RtcatException, InterruptedException {
            send(new Hello(ProtocolCodec.VERSION, window));
            offer = awaitOffer(firstMessageTimeout);
            target = resolveTarget(offer);
            relativeName = relativeName(target);
            refuseEarlyIfTaken();
            openPart();
            while (true) {
                Event event = nextEvent();
                if (event instanceof Binary b) {
                    write(b.data());
                } else if (event instanceof Text t) {
                    Message message = decode(t.text());
                    if (message instanceof FileEnd end) {
                        return finish(end);
                    } else if (message instanceof ErrorMessage e) {
                        throw senderAborted(e);
                    } else if (message instanceof FileStart) {
                        throw protocolFailure("peer started a new file before finishing " + relativeName);
                    }
                } else if (event instanceof Closed) {
                    throw closedMidway();
                } else if (event instanceof Overflow) {
                    throw protocolFailure("peer ignored flow control");
                }
            }
        }

        void discard() {
            if (part != null) {
                part.discard();
            }
        }

        private FileStart awaitOffer(Duration timeout) throws RtcatException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                Event event = left > 0 ? inbox.next(left) : null;
                if (event == null) {
                    throw new RtcatException(Kind.TIMEOUT, "no file offered by the peer within "
                            + timeout.toSeconds() + " s");
                }
                if (event instanceof Text t) {
                    Message message = decode(t.text());
                    if (message instanceof FileStart start) {
                        return validate(start);
                    } else if (message instanceof ErrorMessage e) {
                        throw senderAborted(e);
                    }
                } else if (event instanceof Binary || event instanceof Overflow) {
                    throw protocolFailure("peer sent binary data before file-start");
                } else if (event instanceof Closed) {
                    throw closedMidway();
                }
            }
        }

        private FileStart validate(FileStart start) throws RtcatException {
            if (start.size() < 0) {
                throw protocolFailure("peer offered a file of unknown size, which needs a batch receiver");
            }
            if (start.startOffset() != 0) {
                throw protocolFailure("peer resumed a file that was never offered for resuming");
            }
            if (start.protocol() != null && start.protocol() != ProtocolCodec.VERSION) {
                throw protocolFailure("peer speaks file protocol " + start.protocol() + ", this rtcat speaks "
                        + ProtocolCodec.VERSION);
            }
            if (start.chunkSize() != null
                    && (start.chunkSize() < 1 || start.chunkSize() > ProtocolCodec.MAX_CHUNK_SIZE)) {
                throw protocolFailure("peer announced an invalid chunk size: " + start.chunkSize());
            }
            return start;
        }

        private Path resolveTarget(FileStart start) throws RtcatException {
            try {
                return SafeName.resolve(directory, start.name());
            } catch (RtcatException e) {
                throw TransferFailure.of(ProtocolCodec.CODE_NAME, e);
            }
        }

        /** Refuses before any data flows, so the sender does not send gigabytes in vain. */
        private void refuseEarlyIfTaken() throws RtcatException {
            boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (onExisting == OnExisting.FAIL && exists) {
                throw cannotCreate("file exists", CONFLICT_HINT);
            }
            if (onExisting == OnExisting.OVERWRITE && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw cannotCreate("is a directory", "use --rename to keep both");
            }
        }

        private void openPart() throws RtcatException {
            try {
                part = PartFile.createFor(target, writeHook);
            } catch (IOException e) {
                throw new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_IO,
                        "cannot create " + target + ": " + FileSource.reason(e),
                        "cannot create " + relativeName + " on the receiving side", null);
            }
        }

        /** The next event; acknowledges written data whenever input pauses, so the sender never starves. */
        private Event nextEvent() throws RtcatException, InterruptedException {
            Event event = inbox.next(IDLE_ACK_NANOS);
            if (event != null) {
                return event;
            }
            if (written > acked) {
                sendAck();
            }
            event = inbox.next(idleTimeout.toNanos());
            if (event == null) {
                throw new TransferFailure(Kind.TIMEOUT, "timeout", "peer sent nothing for "
                        + idleTimeout.toSeconds() + " s after " + written + " of " + offer.size()
                        + " bytes; nothing was saved", "receiver timed out waiting for data", null);
            }
            return event;
        }

        private void write(byte[] data) throws RtcatException, InterruptedException {
            if (inbox.overflowed()) {
                throw protocolFailure("peer ignored flow control");
            }
            if (written + data.length > offer.size()) {
                throw new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, "peer sent more than the announced "
                        + offer.size() + " bytes of " + relativeName + "; nothing was saved",
                        "more data than announced for " + relativeName, null);
            }
            try {
                part.write(data);
            } catch (IOException e) {
                throw new TransferFailure(Kind.IO, ProtocolCodec.CODE_IO, "writing " + target + " failed after "
                        + written + " bytes: " + FileSource.reason(e) + "; nothing was saved",
                        "receiver could not write " + relativeName, "check free space and permissions");
            }
            written += data.length;
            inbox.consumed(data.length);
            progress.accept(written);
            if (written - acked >= ackInterval) {
                sendAck();
            }
        }

        private ReceiveResult finish(FileEnd end) throws RtcatException, InterruptedException {
            long size = offer.size();
            if (end.size() != null && end.size() != size) {
                throw sizeMismatch("peer announced " + size + " bytes but ended with " + end.size());
            }
            if (written != size) {
                throw sizeMismatch("received " + written + " of " + size + " bytes");
            }
            String expected = end.sha256() != null ? end.sha256() : offer.sha256();
            String actual = part.sha256();
            if (expected != null && !expected.equals(actual)) {
                throw new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_CHECKSUM, "checksum mismatch for "
                        + target + ": sender says " + expected + ", received data hashes to " + actual
                        + "; nothing was saved", "checksum mismatch for " + relativeName, "send the file again");
            }
            Path saved = commitAndPlace();
            sendAck();
            String savedName = relativeName(saved);
            sendQuietly(new Done(written, actual, savedName));
            return new ReceiveResult(saved, written, actual, Duration.ofNanos(System.nanoTime() - start),
                    expected != null);
        }

        private Path commitAndPlace() throws RtcatException {
            Path saved;
            try {
                part.commit(offer.mtimeMillis());
            } catch (IOException e) {
                throw new TransferFailure(Kind.IO, ProtocolCodec.CODE_IO, "writing " + target + " failed: "
                        + FileSource.reason(e) + "; nothing was saved", "receiver could not write " + relativeName,
                        "check free space and permissions");
            }
            try {
                saved = Placement.place(part.path(), target, onExisting);
            } catch (FileAlreadyExistsException e) {
                throw cannotCreate("file exists", CONFLICT_HINT);
            } catch (IOException e) {
                throw new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_IO, "cannot create " + target + ": "
                        + FileSource.reason(e), "cannot create " + relativeName + " on the receiving side", null);
            }
            part.placed();
            Placement.syncDirectory(saved.getParent());
            return saved;
        }

        private Message decode(String text) throws RtcatException {
            try {
                return ProtocolCodec.decode(text);
            } catch (RtcatException e) {
                throw TransferFailure.of(ProtocolCodec.CODE_PROTOCOL, e);
            }
        }

        private void sendAck() throws RtcatException, InterruptedException {
            send(new Ack(written));
            acked = written;
        }

        private void send(Message message) throws RtcatException, InterruptedException {
            try {
                channel.sendText(ProtocolCodec.encode(message));
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    throw closedMidway();
                }
                String where = offer == null ? "" : " after " + written + " of " + offer.size() + " bytes";
                throw new RtcatException(Kind.UNAVAILABLE, "cannot reach the peer" + where + ": "
                        + FileSource.reason(e) + (offer == null ? "" : "; nothing was saved"));
            }
        }

        private RtcatException closedMidway() {
            if (offer == null) {
                return new RtcatException(Kind.UNAVAILABLE, "peer closed the connection before offering a file");
            }
            return new RtcatException(Kind.UNAVAILABLE, "peer closed the connection after " + written + " of "
                    + offer.size() + " bytes; nothing was saved");
        }

        /** The file is already saved; a peer that left before hearing so does not undo that. */
        private void sendQuietly(Message message) throws InterruptedException {
            try {
                channel.sendText(ProtocolCodec.encode(message));
                channel.drain(DONE_DRAIN_MILLIS);
            } catch (IOException ignored) {
                // see above
            }
        }

        private String relativeName(Path path) {
            return directory.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        }

        private TransferFailure cannotCreate(String reason, String hint) {
            return new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_EXISTS,
                    "cannot create " + target + ": " + reason, "cannot create " + relativeName + ": " + reason, hint);
        }

        private TransferFailure sizeMismatch(String detail) {
            return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, detail + " for " + target
                    + "; nothing was saved", detail + " for " + relativeName, "send the file again");
        }

        private TransferFailure protocolFailure(String message) {
            return new TransferFailure(Kind.PROTOCOL, ProtocolCodec.CODE_PROTOCOL, message, message, null);
        }

        private RtcatException senderAborted(ErrorMessage e) {
            return new RtcatException(Kind.FAILED, "sender aborted: " + e.message()
                    + (offer == null ? "" : "; nothing was saved"));
        }
    }
}
