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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
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
        ReceiverInbox inbox = new ReceiverInbox(ReceiverSupport.queueLimit(window), maxQueuedBytes);
        channel.setListener(inbox);
        Reception reception = new Reception(channel, inbox);
        return ReceiverSupport.receive(channel, inbox, () -> reception.run(firstMessageTimeout),
                code -> reception.discard(), () -> "receiving into " + directory + " was interrupted");
    }

    /** State of one receive. */
    private final class Reception {
        private final MessageChannel channel;
        private final ReceiverInbox inbox;
        private final long ackInterval = ReceiverSupport.ackInterval(window);
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
            target = ReceiverSupport.resolve(directory, offer.name());
            relativeName = relativeName(target);
            ReceiverSupport.refuseIfTaken(target, relativeName, onExisting);
            openPart();
            while (true) {
                Event event = nextEvent();
                if (event instanceof Binary b) {
                    write(b.data());
                } else if (event instanceof Text t) {
                    Message message = ReceiverSupport.decode(t.text());
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
                Event event = ReceiverSupport.nextBefore(inbox, deadline, timeout);
                if (event instanceof Text t) {
                    Message message = ReceiverSupport.decode(t.text());
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
            ReceiverSupport.checkProtocol(start);
            return start;
        }

        private void openPart() throws RtcatException {
            try {
                part = PartFile.createFor(target, writeHook);
            } catch (IOException e) {
                throw ReceiverSupport.cannotCreate(target, relativeName, e);
            }
        }

        /** The next event; acknowledges written data whenever input pauses, so the sender never starves. */
        private Event nextEvent() throws RtcatException, InterruptedException {
            return ReceiverSupport.nextEvent(inbox, idleTimeout, () -> {
                if (written > acked) {
                    sendAck();
                }
            }, () -> " after " + written + " of " + offer.size() + " bytes; nothing was saved");
        }

        private void write(byte[] data) throws RtcatException, InterruptedException {
            if (inbox.overflowed()) {
                throw protocolFailure("peer ignored flow control");
            }
            if (written + data.length > offer.size()) {
                throw ReceiverSupport.tooMuchData("", offer.size(), relativeName, "; nothing was saved");
            }
            try {
                part.write(data);
            } catch (IOException e) {
                throw ReceiverSupport.cannotWrite("writing " + target + " failed after " + written + " bytes: "
                        + FileSource.reason(e) + "; nothing was saved", relativeName);
            }
            written += data.length;
            inbox.consumed(data.length);
            progress.accept(written);
            if (written - acked >= ackInterval) {
                sendAck();
            }
        }

        private ReceiveResult finish(FileEnd end) throws RtcatException, InterruptedException {
            String sizeProblem = ReceiverSupport.sizeProblem(end, offer.size(), written);
            if (sizeProblem != null) {
                throw sizeMismatch(sizeProblem);
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
            ReceiverSupport.sendQuietly(channel, new Done(written, actual, savedName));
            return new ReceiveResult(saved, written, actual, Duration.ofNanos(System.nanoTime() - start),
                    expected != null);
        }

        private Path commitAndPlace() throws RtcatException {
            try {
                part.commit(offer.mtimeMillis());
            } catch (IOException e) {
                throw ReceiverSupport.cannotWrite("writing " + target + " failed: " + FileSource.reason(e)
                        + "; nothing was saved", relativeName);
            }
            try {
                return ReceiverSupport.place(part, target, onExisting);
            } catch (FileAlreadyExistsException e) {
                throw ReceiverSupport.cannotCreate(target, relativeName, "file exists", ReceiverSupport.CONFLICT_HINT);
            } catch (IOException e) {
                throw ReceiverSupport.cannotCreate(target, relativeName, e);
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

        private String relativeName(Path path) {
            return ReceiverSupport.relativeName(directory, path);
        }

        private TransferFailure sizeMismatch(String detail) {
            return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, detail + " for " + target
                    + "; nothing was saved", detail + " for " + relativeName, "send the file again");
        }

        private TransferFailure protocolFailure(String message) {
            return ReceiverSupport.protocolFailure(message);
        }

        private RtcatException senderAborted(ErrorMessage e) {
            return new RtcatException(Kind.FAILED, "sender aborted: " + e.message()
                    + (offer == null ? "" : "; nothing was saved"));
        }
    }
}
