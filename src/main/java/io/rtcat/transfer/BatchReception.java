package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ProtocolCodec.Ack;
import io.rtcat.transfer.ProtocolCodec.BatchDone;
import io.rtcat.transfer.ProtocolCodec.BatchEnd;
import io.rtcat.transfer.ProtocolCodec.Done;
import io.rtcat.transfer.ProtocolCodec.ErrorMessage;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import io.rtcat.transfer.ProtocolCodec.Hello;
import io.rtcat.transfer.ProtocolCodec.ManifestPage;
import io.rtcat.transfer.ProtocolCodec.Message;
import io.rtcat.transfer.ProtocolCodec.Unknown;
import io.rtcat.transfer.ReceivePlan.Planned;
import io.rtcat.transfer.ReceiverInbox.Binary;
import io.rtcat.transfer.ReceiverInbox.Closed;
import io.rtcat.transfer.ReceiverInbox.Event;
import io.rtcat.transfer.ReceiverInbox.Overflow;
import io.rtcat.transfer.ReceiverInbox.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The receiving side of the transfer protocol for one {@link BatchReceiver#receive} call: a state machine over
 * the {@link ReceiverInbox}'s events with one dispatch ({@link #dispatch}). Where files go is the
 * {@link ReceivePlan}'s business, how they are written the {@link Sinks}'; failures come from
 * {@link ReceiveFailures}.
 *
 * <pre>
 *   OFFER --manifest-page (more)--> LISTING --last page, accepted--> BETWEEN_FILES <--file-end-- IN_FILE
 *     |                                                                |  --file-start-->  ^
 *     +--file-start (sender without manifest: one file, then done)-----+------------------+
 *                                                            batch-end: batch-done, wait for the hang-up
 * </pre>
 */
final class BatchReception {

    /** Largest number of files one manifest may list. */
    static final int MAX_FILES = 1_000_000;
    /** Characters of file-list text a sender may send before the prompt; a longer list is refused. */
    static final long MAX_MANIFEST_CHARS = 32L << 20;
    static final int ACK_PAGE_BYTES = 60_000;
    /** Longest wait, after batch-done, for the sender to close (it does as soon as batch-done arrives). */
    static final Duration SENDER_HANG_UP_WAIT = Duration.ofSeconds(10);
    private static final long MAX_ACK_INTERVAL = 1024 * 1024;
    /** After this long without input, acknowledge what was written so a sender waiting for credit can go on. */
    private static final long IDLE_ACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long DONE_DRAIN_MILLIS = 5_000;

    private enum Phase { OFFER, LISTING, BETWEEN_FILES, IN_FILE }

    private final MessageChannel channel;
    private final ReceiverInbox inbox;
    private final BatchReceiver.Config config;
    private final ReceivePlan plan;
    private final Sinks sinks;
    private final long ackInterval;

    private Phase phase = Phase.OFFER;
    private long offerDeadline;
    private BatchResult outcome;
    /** When data may flow: after acceptance (a human may have answered a prompt first). */
    private long start = System.nanoTime();
    private final List<BatchResult.FileResult> results = new ArrayList<>();
    private long batchBytes;
    private long resumedBytes;
    // the file list while it arrives, then the plan
    private final List<Manifest.Entry> listed = new ArrayList<>();
    private long listChars;
    private final Map<String, Planned> byName = new HashMap<>();
    private int planned;
    private boolean single; // a sender without manifest: one file
    private IncomingFile file; // the file in progress, if any

    BatchReception(MessageChannel channel, ReceiverInbox inbox, BatchReceiver.Config config, ReceivePlan plan,
            Sinks sinks) {
        this.channel = channel;
        this.inbox = inbox;
        this.config = config;
        this.plan = plan;
        this.sinks = sinks;
        this.ackInterval = ackInterval(config.window());
    }

    /** The queue may briefly hold a full window plus one in-flight chunk; twice that means the peer ignores credit. */
    static long queueLimit(long window) {
        return 2 * window + ProtocolCodec.MAX_CHUNK_SIZE;
    }

    /** Written bytes between acknowledgements for a credit {@code window}. */
    static long ackInterval(long window) {
        return Math.max(1, Math.min(MAX_ACK_INTERVAL, window / 4));
    }

    /**
     * Receives; on failure abandons the file in progress and tells the sender why, where it should hear it.
     */
    BatchResult receive(Duration firstMessageTimeout) throws RtcatException {
        try {
            return run(firstMessageTimeout);
        } catch (TransferFailure f) {
            if (Cancellation.interruptedHere() && !ProtocolCodec.CODE_DECLINED.equals(f.code())) {
                // e.g. a file write cut short by the interrupt: the interrupt is the story, not the write
                throw interrupted(f);
            }
            abandon(f.code());
            if (f.kind() == Kind.OUTPUT_CLOSED) {
                Cancellation.tell(channel, ProtocolCodec.RECEIVER, "its output was closed");
            } else {
                Cancellation.send(channel, DONE_DRAIN_MILLIS,
                        ProtocolCodec.encode(new ErrorMessage(f.code(), f.peerMessage())));
            }
            throw f;
        } catch (RtcatException e) {
            if (e.kind() == Kind.PEER_CANCELLED) {
                RtcatException cancelled = writing() // a sender's cancel also says what is left on disk
                        ? new RtcatException(Kind.PEER_CANCELLED, e.getMessage() + file.where(), null, e) : e;
                abandon(null);
                channel.close(); // the sender waits for our hang-up as the sign that its cancel arrived
                throw cancelled;
            }
            if (Cancellation.interruptedHere()) {
                throw interrupted(e);
            }
            abandon(null);
            throw e;
        } catch (InterruptedException e) {
            RtcatException failure = interrupted(null);
            Thread.currentThread().interrupt();
            throw failure;
        } finally {
            inbox.stop();
        }
    }

    private RtcatException interrupted(RtcatException cause) {
        String message = "receiving was interrupted" + (writing() ? file.where() : "");
        abandon(null);
        Cancellation.tell(channel, ProtocolCodec.RECEIVER, "interrupted");
        return new RtcatException(Kind.INTERRUPTED, message, null, cause);
    }

    private BatchResult run(Duration firstMessageTimeout) throws RtcatException, InterruptedException {
        send(new Hello(ProtocolCodec.VERSION, config.window()));
        offerDeadline = System.nanoTime() + firstMessageTimeout.toNanos();
        while (outcome == null) {
            dispatch(phase == Phase.OFFER ? nextOffer(firstMessageTimeout) : nextEvent());
        }
        return outcome;
    }

    // --- the one dispatch ---

    private void dispatch(Event event) throws RtcatException, InterruptedException {
        if (event instanceof Text t) {
            onText(t.text());
        } else if (event instanceof Binary b) {
            onData(b.data());
        } else if (event instanceof Overflow) {
            throw unexpectedData("peer ignored flow control");
        } else if (event instanceof Closed) {
            throw closed();
        }
    }

    private void onText(String text) throws RtcatException, InterruptedException {
        if (phase == Phase.LISTING) {
            listChars += text.length();
            if (listChars > MAX_MANIFEST_CHARS) {
                throw ReceiveFailures.protocol("peer's file list is longer than " + (MAX_MANIFEST_CHARS >> 20)
                        + " Mi characters");
            }
        }
        Message message = decode(text);
        if (message instanceof ErrorMessage e) {
            throw ReceiveFailures.senderAborted(e, leftover());
        }
        switch (phase) {
            case OFFER -> {
                if (message instanceof FileStart start) {
                    startSingle(start);
                } else if (message instanceof ManifestPage page) {
                    phase = Phase.LISTING;
                    addPage(page);
                } else if (message instanceof Unknown) {
                    // a sign of life (the sender is hashing its files): wait at least another idle period
                    offerDeadline = Math.max(offerDeadline, System.nanoTime() + config.idleTimeout().toNanos());
                }
            }
            case LISTING -> {
                if (message instanceof ManifestPage page) {
                    addPage(page);
                } else if (!(message instanceof Unknown)) {
                    throw ReceiveFailures.protocol("peer sent " + text.length() + " characters of something else "
                            + "in the middle of its file list");
                }
            }
            case BETWEEN_FILES -> {
                if (message instanceof FileStart start) {
                    startPlanned(start);
                } else if (message instanceof BatchEnd end) {
                    endBatch(end);
                } else if (message instanceof ManifestPage) {
                    throw ReceiveFailures.protocol("peer sent a second file list");
                }
            }
            case IN_FILE -> {
                if (message instanceof FileEnd end) {
                    finishFile(end);
                } else if (message instanceof FileStart || message instanceof BatchEnd
                        || message instanceof ManifestPage) {
                    throw ReceiveFailures.protocol("peer moved on before finishing " + file.relative);
                }
            }
            default -> throw new IllegalStateException(phase.name());
        }
    }

    private void onData(byte[] data) throws RtcatException, InterruptedException {
        if (phase != Phase.IN_FILE) {
            throw unexpectedData(null);
        }
        write(data);
    }

    /** Binary data (or too much of it) where none belongs; {@code inFile} is the message inside a file. */
    private TransferFailure unexpectedData(String inFile) {
        return ReceiveFailures.protocol(switch (phase) {
            case OFFER -> "peer sent binary data before file-start";
            case LISTING -> "peer sent data in the middle of its file list";
            case BETWEEN_FILES -> "peer sent data outside a file";
            case IN_FILE -> inFile;
        });
    }

    private RtcatException closed() {
        return switch (phase) {
            case OFFER -> ReceiveFailures.closed("before offering a file");
            case LISTING -> ReceiveFailures.closed("while listing its files");
            case BETWEEN_FILES, IN_FILE -> closedMidway();
        };
    }

    private RtcatException closedMidway() {
        if (file == null) {
            return ReceiveFailures.closed("after " + results.size() + " files");
        }
        return ReceiveFailures.closed(file.where().substring(1));
    }

    // --- the file list ---

    private void addPage(ManifestPage page) throws RtcatException, InterruptedException {
        listed.addAll(page.files());
        if (listed.size() > MAX_FILES) {
            throw ReceiveFailures.protocol("peer offered more than " + MAX_FILES + " files");
        }
        if (!page.more()) {
            accept(Manifest.of(listed)); // the total is ours, not the sender's claim
        }
    }

    private void accept(Manifest manifest) throws RtcatException, InterruptedException {
        List<Planned> entries = plan.check(manifest);
        refuseOverLimit(manifest);
        if (!config.confirm().test(manifest)) {
            throw ReceiveFailures.declined(entries.size());
        }
        for (String page : ProtocolCodec.encodeManifestAck(plan.prepareResume(entries),
                Math.min(ACK_PAGE_BYTES, channel.maxMessageSize()))) {
            sendText(page);
        }
        start = System.nanoTime();
        config.progress().onBatchStarted(entries.size(), manifest.totalBytes());
        entries.forEach(p -> byName.put(p.entry.name(), p));
        planned = entries.size();
        phase = Phase.BETWEEN_FILES;
    }

    /** An announced size over the limit: refused before the prompt, nothing written. */
    private void refuseOverLimit(Manifest manifest) throws TransferFailure {
        for (Manifest.Entry e : manifest.files()) {
            if (e.size() > config.limit().announced()) {
                throw ReceiveFailures.overLimit(e, config.limit().announced());
            }
        }
    }

    private void endBatch(BatchEnd end) throws TransferFailure, InterruptedException {
        if (end.files() != planned || results.size() != planned) {
            throw ReceiveFailures.protocol("peer ended the transfer after " + results.size() + " of " + planned
                    + " files");
        }
        sendQuietly(new BatchDone(results.size(), batchBytes));
        long finished = System.nanoTime();
        awaitSenderHangUp();
        outcome = new BatchResult(results, batchBytes, resumedBytes, start, finished);
    }

    /**
     * After batch-done: waits (bounded) for the sender to close, its sign that batch-done arrived. "Drained"
     * only means handed to SCTP; closing first could lose batch-done on a lossy path, and the sender would
     * report a failure for a batch that was saved (seen under loss and delay in the network lab).
     */
    private void awaitSenderHangUp() throws InterruptedException {
        long deadline = System.nanoTime() + SENDER_HANG_UP_WAIT.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Event event = inbox.next(left);
            if (event == null || event instanceof Closed) {
                return;
            }
        }
    }

    // --- files ---

    private void startPlanned(FileStart start) throws RtcatException {
        Planned p = byName.get(start.name());
        if (p == null || p.received) {
            throw ReceiveFailures.protocol("peer sent a file that is not (or no longer) in its list: \""
                    + ProtocolCodec.echo(start.name()) + "\"");
        }
        validate(start);
        Manifest.Entry e = p.entry;
        if (start.size() != e.size()) {
            throw ReceiveFailures.protocol("peer announced " + start.size() + " bytes for " + p.relativeName
                    + " but listed " + e.size());
        }
        long offset = start.startOffset();
        if (offset > p.offered || p.present && offset != e.size()) {
            throw ReceiveFailures.protocol("peer resumed " + p.relativeName + " at byte " + offset + " but "
                    + p.offered + " bytes were offered");
        }
        p.received = true;
        MessageDigest digest = Sha256.newDigest();
        begin(new IncomingFile(start.name(), p.relativeName, e.size(), offset, digest));
        file.open(sinks.forEntry(p, offset, digest), start.mtimeMillis() != null ? start.mtimeMillis() : e.mtimeMillis(),
                e.sha256() != null ? e.sha256() : start.sha256());
    }

    /** A sender without manifest (a browser page): one file, nothing left on failure. */
    private void startSingle(FileStart start) throws RtcatException {
        validate(start);
        this.start = System.nanoTime(); // a browser sender offers no list to accept: data flows from here
        if (start.startOffset() != 0) {
            throw ReceiveFailures.protocol("peer resumed a file that was never offered for resuming");
        }
        Manifest offered = Manifest.of(List.of(new Manifest.Entry(start.name(), start.size(), start.sha256(),
                start.mtimeMillis())));
        refuseOverLimit(offered);
        if (!config.confirm().test(offered)) { // a sender without a file list is asked about like any other
            throw ReceiveFailures.declined(1);
        }
        config.progress().onBatchStarted(1, start.size());
        single = true;
        config.progress().onFileStarted(start.name(), start.size(), 0);
        Path target = sinks.streams() ? null : plan.resolve(start.name());
        String relative = target == null ? start.name() : plan.relativeName(target);
        file = new IncomingFile(start.name(), relative, start.size(), 0, Sha256.newDigest());
        phase = Phase.IN_FILE;
        file.open(sinks.forSingle(target, relative), start.mtimeMillis(), start.sha256());
    }

    private void begin(IncomingFile incoming) {
        file = incoming;
        phase = Phase.IN_FILE;
        config.progress().onFileStarted(incoming.name, incoming.size, incoming.resumed);
    }

    private static void validate(FileStart start) throws TransferFailure {
        if (start.protocol() != null && start.protocol() != ProtocolCodec.VERSION) {
            throw ReceiveFailures.protocol("peer speaks file protocol " + start.protocol() + ", this rtcat speaks "
                    + ProtocolCodec.VERSION);
        }
        if (start.chunkSize() != null
                && (start.chunkSize() < 1 || start.chunkSize() > ProtocolCodec.MAX_CHUNK_SIZE)) {
            throw ReceiveFailures.protocol("peer announced an invalid chunk size: " + start.chunkSize());
        }
        if (start.size() >= 0 && start.startOffset() > start.size()) {
            throw ReceiveFailures.protocol("peer resumed " + ProtocolCodec.echo(start.name()) + " beyond its end");
        }
    }

    private void write(byte[] data) throws RtcatException, InterruptedException {
        if (inbox.overflowed()) {
            throw ReceiveFailures.protocol("peer ignored flow control");
        }
        file.write(data, config.limit().unknown());
        inbox.consumed(data.length);
        config.progress().onBytes(batchBytes + file.position());
        if (file.ackDue(ackInterval)) {
            sendAck();
        }
    }

    private void finishFile(FileEnd end) throws RtcatException, InterruptedException {
        IncomingFile.Saved saved = file.finish(end);
        sendAck();
        long bytes = file.position();
        String savedAs = saved.path() == null ? null : plan.relativeName(saved.path());
        sendQuietly(new Done(bytes, saved.sha256(), savedAs == null ? file.name : savedAs));
        batchBytes += bytes;
        resumedBytes += file.resumed;
        config.progress().onFileDone(file.name, bytes);
        results.add(new BatchResult.FileResult(file.name, saved.path(), savedAs, bytes, file.resumed, saved.sha256(),
                saved.verified()));
        file = null;
        phase = Phase.BETWEEN_FILES;
        if (single) {
            outcome = new BatchResult(results, batchBytes, 0, start, System.nanoTime());
        }
    }

    private void abandon(String code) {
        if (file != null) {
            file.abandon(code);
        }
    }

    private boolean writing() {
        return file != null && file.writing();
    }

    // --- the channel ---

    /** The next event before the offer deadline, or a timeout for a peer that offered nothing. */
    private Event nextOffer(Duration timeout) throws RtcatException, InterruptedException {
        long left = offerDeadline - System.nanoTime();
        Event event = left > 0 ? inbox.next(left) : null;
        if (event == null) {
            throw ReceiveFailures.nothingOffered(timeout);
        }
        return event;
    }

    /** The next event; acknowledges written data whenever input pauses, so the sender never starves. */
    private Event nextEvent() throws RtcatException, InterruptedException {
        Event event = inbox.next(IDLE_ACK_NANOS);
        if (event != null) {
            return event;
        }
        if (file != null && file.ackDue(1)) {
            sendAck();
        }
        event = inbox.next(config.idleTimeout().toNanos());
        if (event == null) {
            throw ReceiveFailures.idle(config.idleTimeout(),
                    file == null ? "" : " after " + file.position() + " bytes of " + file.name + file.leftover());
        }
        return event;
    }

    /** Decodes a message from the sender; its {@code cancel} ends the receive at once (PEER_CANCELLED). */
    private static Message decode(String text) throws RtcatException {
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

    private void sendAck() throws RtcatException, InterruptedException {
        send(new Ack(file.position()));
        file.acked();
    }

    private void send(Message message) throws RtcatException, InterruptedException {
        sendText(ProtocolCodec.encode(message));
    }

    private void sendText(String text) throws RtcatException, InterruptedException {
        try {
            channel.sendText(text);
        } catch (IOException e) {
            if (!channel.isOpen()) {
                throw closedMidway();
            }
            throw ReceiveFailures.unreachable(e, leftover());
        }
    }

    /** For what is already saved; a peer that left before hearing so does not undo that. */
    private void sendQuietly(Message message) throws InterruptedException {
        try {
            channel.sendText(ProtocolCodec.encode(message));
            channel.drain(DONE_DRAIN_MILLIS);
        } catch (IOException ignored) {
            // see above
        }
    }

    private String leftover() {
        return file == null ? "" : file.leftover();
    }
}
