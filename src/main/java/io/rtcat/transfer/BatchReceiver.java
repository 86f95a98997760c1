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
import io.rtcat.transfer.ProtocolCodec.Resume;
import io.rtcat.transfer.ProtocolCodec.Unknown;
import io.rtcat.transfer.ReceiverInbox.Binary;
import io.rtcat.transfer.ReceiverInbox.Closed;
import io.rtcat.transfer.ReceiverInbox.Event;
import io.rtcat.transfer.ReceiverInbox.Overflow;
import io.rtcat.transfer.ReceiverInbox.Text;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Receives a batch from {@link BatchSender} ({@code rtcat receive}), or a single file from a
 * browser page or {@link FileSender}.
 *
 * <p>With a manifest, every entry is checked before anything is written: names ({@link SafeName}),
 * symbolic links that would lead outside the target directory, duplicates, and conflicts
 * ({@link OnExisting}); then the confirmation callback decides. Files are written to deterministic
 * part files ({@code .<name>.rtcat-part} plus a {@code .json} sidecar describing the content) that
 * survive a failure, so the next transfer of the same content resumes them. With
 * {@link OnExisting#FAIL}, an existing file identical to the offered one (same size and SHA-256) is
 * not a conflict: it counts as received and is not sent again, so an interrupted batch can simply
 * be re-run.
 *
 * <p>Without a manifest (a browser page or {@link FileSender} sends {@code file-start} first),
 * exactly one file is received, like {@link FileReceiver}: a failure leaves nothing behind.
 */
public final class BatchReceiver {

    public static final int RESUME_BLOCK_SIZE = 1 << 20;
    /** Largest number of files one manifest may list. */
    static final int MAX_FILES = 1_000_000;
    static final int ACK_PAGE_BYTES = 60_000;
    /** Longest wait, after batch-done, for the sender to close (it does as soon as batch-done arrives). */
    static final Duration SENDER_HANG_UP_WAIT = Duration.ofSeconds(10);

    private final Path directory;
    private final OnExisting onExisting;
    private final long window;
    private final Duration idleTimeout;
    private final Predicate<Manifest> confirm;
    private final TransferProgress progress;
    private final OutputStream out;
    private final SizeLimit limit;

    /**
     * The largest file accepted: an announced size above {@code announced} is refused before anything is
     * written; a file of unknown size (a pipe) fails and is discarded once it passes {@code unknown}.
     */
    public record SizeLimit(long announced, long unknown) {
        public static final SizeLimit NONE = new SizeLimit(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Characters of file-list text a sender may send before the prompt; a longer list is refused. */
    static final long MAX_MANIFEST_CHARS = 32L << 20;

    /** Accepts every valid manifest; default window and idle timeout. */
    public BatchReceiver(Path directory, OnExisting onExisting) {
        this(directory, onExisting, FileReceiver.DEFAULT_WINDOW, FileReceiver.DEFAULT_IDLE_TIMEOUT, m -> true,
                TransferProgress.NONE);
    }

    /**
     * @param directory where files are saved; offered names are resolved inside it
     * @param window bytes the sender may have unacknowledged; also bounds the receiver's queue
     * @param idleTimeout how long the sender may stay silent once the transfer began
     * @param confirm asked once with the validated manifest (the CLI prompts unless --yes); false declines
     * @param progress called on the receiving thread
     */
    public BatchReceiver(Path directory, OnExisting onExisting, long window, Duration idleTimeout,
            Predicate<Manifest> confirm, TransferProgress progress) {
        this(directory, onExisting, window, idleTimeout, confirm, progress, null, SizeLimit.NONE);
    }

    private BatchReceiver(Path directory, OnExisting onExisting, long window, Duration idleTimeout,
            Predicate<Manifest> confirm, TransferProgress progress, OutputStream out, SizeLimit limit) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.directory = directory.toAbsolutePath().normalize();
        this.onExisting = Objects.requireNonNull(onExisting, "onExisting");
        this.window = window;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.confirm = Objects.requireNonNull(confirm, "confirm");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.out = out;
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    /** A copy with this size limit (default: none). */
    public BatchReceiver withSizeLimit(SizeLimit sizeLimit) {
        return new BatchReceiver(directory, onExisting, window, idleTimeout, confirm, progress, out, sizeLimit);
    }

    public BatchReceiver withConfirmation(Predicate<Manifest> confirm) {
        return new BatchReceiver(directory, onExisting, window, idleTimeout, confirm, progress, out, limit);
    }

    public BatchReceiver withProgress(TransferProgress progress) {
        return new BatchReceiver(directory, onExisting, window, idleTimeout, confirm, progress, out, limit);
    }

    public BatchReceiver withIdleTimeout(Duration timeout) {
        return new BatchReceiver(directory, onExisting, window, timeout, confirm, progress, out, limit);
    }

    /**
     * A copy that writes the content straight to {@code stream} (e.g. standard output) instead of the
     * directory: no temp file, no resume. Only a single file is accepted (a manifest with more entries is
     * refused with {@code USAGE} "--stdout needs exactly one file"). The content is verified at the end;
     * as the bytes have already been written by then, a mismatch fails with "output is corrupt". The
     * stream is flushed, not closed.
     */
    public BatchReceiver toStream(OutputStream stream) {
        return new BatchReceiver(directory, onExisting, window, idleTimeout, confirm, progress,
                Objects.requireNonNull(stream, "stream"), limit);
    }

    /**
     * Installs itself as {@code channel}'s listener, says hello, and blocks until the batch (or the single
     * file of a sender without manifest) has been received.
     *
     * @param firstMessageTimeout how long to wait for the sender's manifest or file-start
     */
    public BatchResult receive(MessageChannel channel, Duration firstMessageTimeout) throws RtcatException {
        ReceiverInbox inbox = new ReceiverInbox(ReceiverSupport.queueLimit(window), new AtomicLong());
        channel.setListener(inbox);
        Reception reception = new Reception(channel, inbox);
        return ReceiverSupport.receive(channel, inbox, () -> reception.runSayingWhatIsLeft(firstMessageTimeout),
                reception::abandon, reception::interrupted);
    }

    private static void feed(Path file, MessageDigest digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(file, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (in.read(buffer.clear()) >= 0) {
                digest.update(buffer.array(), 0, buffer.position());
            }
        }
    }

    /** Where one content stream goes. */
    private interface Sink {
        void write(byte[] data) throws IOException;

        /** Content verified: make it durable and put it in place; returns the final path or null (stream). */
        Path commit(Long mtimeMillis) throws IOException;

        /** The receive failed; {@code dataIsBad} if what was written must not be resumed. Never throws. */
        void abandon(boolean dataIsBad);

        /** Appended to failure messages: what is left on disk. */
        String leftover();
    }

    /** One manifest entry and what was decided about it. */
    private static final class Planned {
        final Manifest.Entry entry;
        final Path target;
        final String relativeName;
        final ResumablePart part;
        boolean present; // identical file already at the target
        long offered; // resume offset offered to the sender
        boolean received;

        Planned(Manifest.Entry entry, Path target, String relativeName) {
            this.entry = entry;
            this.target = target;
            this.relativeName = relativeName;
            this.part = ResumablePart.forTarget(target);
        }
    }

    /** State of one {@link #receive} call. */
    private final class Reception {
        private final MessageChannel channel;
        private final ReceiverInbox inbox;
        private final long ackInterval = ReceiverSupport.ackInterval(window);
        /** When data may flow: after acceptance (a human may have answered a prompt first). */
        private long start = System.nanoTime();
        private final List<BatchResult.FileResult> results = new ArrayList<>();
        private long batchBytes;
        private long resumedBytes;
        // the file in progress
        private String name;
        private long size;
        private long position;
        private long acked;
        private Sink sink;

        Reception(MessageChannel channel, ReceiverInbox inbox) {
            this.channel = channel;
            this.inbox = inbox;
        }

        /** {@link #run}; a sender's cancel also says what is left on disk. */
        BatchResult runSayingWhatIsLeft(Duration firstMessageTimeout) throws RtcatException, InterruptedException {
            try {
                return run(firstMessageTimeout);
            } catch (RtcatException e) {
                if (e.kind() == Kind.PEER_CANCELLED && sink != null) {
                    throw new RtcatException(Kind.PEER_CANCELLED, e.getMessage() + name(), null, e);
                }
                throw e;
            }
        }

        String interrupted() {
            return "receiving was interrupted" + (sink == null ? "" : name());
        }

        private String name() {
            return " after " + position + (size >= 0 ? " of " + size : "") + " bytes of " + name + leftover();
        }

        BatchResult run(Duration firstMessageTimeout) throws RtcatException, InterruptedException {
            send(new Hello(ProtocolCodec.VERSION, window));
            Message first = awaitFirst(firstMessageTimeout);
            if (first instanceof FileStart start) {
                return single(start);
            }
            Manifest manifest = collect((ManifestPage) first);
            List<Planned> plan = check(manifest);
            refuseOverLimit(manifest);
            if (!confirm.test(manifest)) {
                throw declined(plan.size());
            }
            for (String page : ProtocolCodec.encodeManifestAck(prepareResume(plan),
                    Math.min(ACK_PAGE_BYTES, channel.maxMessageSize()))) {
                sendText(page);
            }
            start = System.nanoTime();
            progress.onBatchStarted(plan.size(), manifest.totalBytes());
            Map<String, Planned> byName = new HashMap<>();
            plan.forEach(p -> byName.put(p.entry.name(), p));
            while (true) {
                Event event = nextEvent();
                if (event instanceof Text t) {
                    Message message = ReceiverSupport.decode(t.text());
                    if (message instanceof FileStart start) {
                        Planned p = byName.get(start.name());
                        if (p == null || p.received) {
                            throw protocolFailure("peer sent a file that is not (or no longer) in its list: \""
                                    + ProtocolCodec.echo(start.name()) + "\"");
                        }
                        results.add(receivePlanned(p, validate(start)));
                        p.received = true;
                    } else if (message instanceof BatchEnd end) {
                        if (end.files() != plan.size() || results.size() != plan.size()) {
                            throw protocolFailure("peer ended the transfer after " + results.size() + " of "
                                    + plan.size() + " files");
                        }
                        ReceiverSupport.sendQuietly(channel, new BatchDone(results.size(), batchBytes));
                        long finished = System.nanoTime();
                        awaitSenderHangUp();
                        return new BatchResult(results, batchBytes, resumedBytes, start, finished);
                    } else if (message instanceof ErrorMessage e) {
                        throw senderAborted(e);
                    } else if (message instanceof ManifestPage) {
                        throw protocolFailure("peer sent a second file list");
                    }
                } else if (event instanceof Binary || event instanceof Overflow) {
                    throw protocolFailure("peer sent data outside a file");
                } else if (event instanceof Closed) {
                    throw closedMidway();
                }
            }
        }

        private TransferFailure declined(int files) {
            return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_DECLINED, "declined the transfer of "
                    + files + (files == 1 ? " file" : " files") + "; nothing was saved",
                    "the receiver declined the transfer", null);
        }

        /** An announced size over the limit: refused before the prompt, nothing written. */
        private void refuseOverLimit(Manifest manifest) throws TransferFailure {
            for (Manifest.Entry e : manifest.files()) {
                if (e.size() > limit.announced()) {
                    throw new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_DECLINED, DisplayName.of(e.name())
                            + " is " + e.size() + " bytes, more than the " + limit.announced()
                            + " this receiver accepts (--max-size); nothing was saved",
                            "the receiver accepts files of at most " + limit.announced() + " bytes", null);
                }
            }
        }

        void abandon(String code) {
            if (sink != null) {
                sink.abandon(ProtocolCodec.CODE_CHECKSUM.equals(code) || ProtocolCodec.CODE_SIZE.equals(code));
                sink = null;
            }
        }

        // --- before the first file ---

        private Message awaitFirst(Duration timeout) throws RtcatException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Event event = ReceiverSupport.nextBefore(inbox, deadline, timeout);
                if (event instanceof Text t) {
                    Message message = ReceiverSupport.decode(t.text());
                    if (message instanceof FileStart || message instanceof ManifestPage) {
                        return message;
                    } else if (message instanceof ErrorMessage e) {
                        throw senderAborted(e);
                    } else if (message instanceof Unknown) {
                        // a sign of life (the sender is hashing its files): wait at least another idle period
                        deadline = Math.max(deadline, System.nanoTime() + idleTimeout.toNanos());
                    }
                } else if (event instanceof Binary || event instanceof Overflow) {
                    throw protocolFailure("peer sent binary data before file-start");
                } else if (event instanceof Closed) {
                    throw new RtcatException(Kind.UNAVAILABLE, "peer closed the connection before offering a file");
                }
            }
        }

        private Manifest collect(ManifestPage first) throws RtcatException, InterruptedException {
            List<Manifest.Entry> entries = new ArrayList<>(first.files());
            ManifestPage page = first;
            long chars = 0;
            while (page.more()) {
                Event event = nextEvent();
                if (event instanceof Text t) {
                    chars += t.text().length();
                    if (chars > MAX_MANIFEST_CHARS) {
                        throw protocolFailure("peer's file list is longer than " + (MAX_MANIFEST_CHARS >> 20)
                                + " Mi characters");
                    }
                    Message message = ReceiverSupport.decode(t.text());
                    if (message instanceof ManifestPage next) {
                        page = next;
                        entries.addAll(next.files());
                        if (entries.size() > MAX_FILES) {
                            throw protocolFailure("peer offered more than " + MAX_FILES + " files");
                        }
                    } else if (message instanceof ErrorMessage e) {
                        throw senderAborted(e);
                    } else if (!(message instanceof Unknown)) {
                        throw protocolFailure("peer sent " + t.text().length() + " characters of something else "
                                + "in the middle of its file list");
                    }
                } else if (event instanceof Closed) {
                    throw new RtcatException(Kind.UNAVAILABLE, "peer closed the connection while listing its files");
                } else {
                    throw protocolFailure("peer sent data in the middle of its file list");
                }
            }
            return Manifest.of(entries); // the total is ours, not the sender's claim
        }

        /** Every check that can refuse the transfer, before anything is written. */
        private List<Planned> check(Manifest manifest) throws RtcatException {
            int n = manifest.files().size();
            if (out != null && n != 1) {
                throw new TransferFailure(Kind.USAGE, ProtocolCodec.CODE_PROTOCOL,
                        "--stdout needs exactly one file; the sender offers " + n,
                        "the receiver writes to standard output and needs exactly one file, not " + n,
                        "send one file at a time, or receive into a directory");
            }
            if (n == 0) {
                throw protocolFailure("peer offered an empty file list");
            }
            List<Planned> plan = new ArrayList<>(n);
            Set<String> names = new HashSet<>();
            Set<String> directories = new HashSet<>();
            for (Manifest.Entry e : manifest.files()) {
                Path target = ReceiverSupport.resolve(directory, e.name());
                String relative = relativeName(target);
                if (!names.add(relative)) {
                    throw nameFailure("peer lists " + relative + " twice");
                }
                for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
                    directories.add(relative.substring(0, slash));
                }
                plan.add(new Planned(e, target, relative));
            }
            for (String dir : directories) {
                if (names.contains(dir)) {
                    throw nameFailure("peer lists " + dir + " both as a file and as a directory");
                }
            }
            if (out == null) {
                Path realBase = realBase();
                for (Planned p : plan) {
                    checkContained(p.target, p.relativeName, realBase);
                }
                for (Planned p : plan) {
                    checkConflict(p);
                }
            }
            return plan;
        }

        /** The real path of the target directory, or of its nearest existing ancestor plus the rest. */
        private Path realBase() throws RtcatException {
            Deque<Path> missing = new ArrayDeque<>();
            Path existing = directory;
            while (existing != null && !Files.exists(existing)) {
                missing.push(existing.getFileName());
                existing = existing.getParent();
            }
            try {
                Path real = existing == null ? directory.getRoot() : existing.toRealPath();
                while (!missing.isEmpty()) {
                    real = real.resolve(missing.pop());
                }
                return real;
            } catch (IOException e) {
                throw new RtcatException(Kind.CANT_CREATE, "cannot use " + directory + ": " + FileSource.reason(e));
            }
        }

        /** Refuses a target whose parent directories lead, through a symbolic link, outside the directory. */
        private void checkContained(Path target, String relative, Path realBase) throws RtcatException {
            Path parent = target.getParent();
            if (parent.equals(directory)) {
                return;
            }
            Path p = directory;
            for (Path component : directory.relativize(parent)) {
                p = p.resolve(component);
                if (Files.isSymbolicLink(p)) {
                    Path real;
                    try {
                        real = p.toRealPath();
                    } catch (IOException e) {
                        throw escapes(target, relative, p);
                    }
                    if (!real.startsWith(realBase)) {
                        throw escapes(target, relative, p);
                    }
                    if (!Files.isDirectory(real)) {
                        throw cannotCreate(target, relative, relativeName(p) + " is not a directory", null);
                    }
                } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        throw cannotCreate(target, relative, relativeName(p) + " is not a directory", null);
                    }
                } else {
                    return; // nothing below exists yet
                }
            }
        }

        private void checkConflict(Planned p) throws RtcatException {
            Path target = p.target;
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (onExisting == OnExisting.FAIL) {
                if (identical(p)) {
                    p.present = true;
                    return;
                }
                throw cannotCreate(target, p.relativeName, "file exists", ReceiverSupport.CONFLICT_HINT);
            }
            if (onExisting == OnExisting.OVERWRITE && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw cannotCreate(target, p.relativeName, "is a directory", "use --rename to keep both");
            }
        }

        /** The existing target already holds exactly the offered content. */
        private boolean identical(Planned p) {
            Manifest.Entry e = p.entry;
            try {
                return out == null && e.size() >= 0 && e.sha256() != null
                        && Files.isRegularFile(p.target, LinkOption.NOFOLLOW_LINKS)
                        && Files.size(p.target) == e.size()
                        && e.sha256().equals(ResumablePart.sha256(p.target));
            } catch (IOException x) {
                return false;
            }
        }

        /** Resume offers for partial files (and identical files) whose description matches the manifest. */
        private List<Resume> prepareResume(List<Planned> plan) {
            List<Resume> resume = new ArrayList<>();
            if (out != null) {
                return resume;
            }
            for (Planned p : plan) {
                Manifest.Entry e = p.entry;
                try {
                    if (p.present) {
                        int blockSize = ResumablePart.blockSize(e.size());
                        resume.add(new Resume(e.name(), e.size(), blockSize,
                                ResumablePart.blockHashes(p.target, e.size(), blockSize)));
                        p.offered = e.size();
                        continue;
                    }
                    long length = e.size() >= 0 && e.sha256() != null ? p.part.matchingLength(e.size(), e.sha256()) : -1;
                    if (length > 0) {
                        int blockSize = ResumablePart.blockSize(length);
                        resume.add(new Resume(e.name(), length, blockSize,
                                ResumablePart.blockHashes(p.part.path, length, blockSize)));
                        p.offered = length;
                    } else if (length < 0 && p.part.exists()) {
                        p.part.delete(); // stale: another content, or no description
                    }
                } catch (IOException x) {
                    p.offered = 0;
                    p.present = false;
                    p.part.delete();
                }
            }
            return resume;
        }

        // --- files ---

        private BatchResult.FileResult receivePlanned(Planned p, FileStart start)
                throws RtcatException, InterruptedException {
            Manifest.Entry e = p.entry;
            if (start.size() != e.size()) {
                throw protocolFailure("peer announced " + start.size() + " bytes for " + p.relativeName
                        + " but listed " + e.size());
            }
            long offset = start.startOffset();
            if (offset > p.offered || p.present && offset != e.size()) {
                throw protocolFailure("peer resumed " + p.relativeName + " at byte " + offset + " but "
                        + p.offered + " bytes were offered");
            }
            MessageDigest digest = Sha256.newDigest();
            beginFile(start.name(), e.size(), offset);
            if (out != null) {
                sink = new StreamSink();
            } else if (p.present) {
                try {
                    feed(p.target, digest); // the final check verifies it is still the offered content
                } catch (IOException x) {
                    throw new TransferFailure(Kind.IO, ProtocolCodec.CODE_IO, "reading " + p.target + " failed: "
                            + FileSource.reason(x), "receiver could not read " + p.relativeName, null);
                }
                sink = new PresentSink(p.target);
            } else {
                checkContained(p.target, p.relativeName, realBase()); // again: the disk may have changed
                FileChannel channel;
                try {
                    Files.createDirectories(p.target.getParent());
                    channel = p.part.open(offset, e.size(), e.sha256(), digest);
                } catch (IOException x) {
                    throw ReceiverSupport.cannotCreate(p.target, p.relativeName, x);
                }
                sink = new ResumableSink(p, channel);
            }
            Long mtime = start.mtimeMillis() != null ? start.mtimeMillis() : e.mtimeMillis();
            return receiveContent(p.relativeName, digest, mtime, e.sha256() != null ? e.sha256() : start.sha256());
        }

        /** A sender without manifest (browser page, {@link FileSender}): one file, nothing left on failure. */
        private BatchResult single(FileStart start) throws RtcatException, InterruptedException {
            validate(start);
            this.start = System.nanoTime(); // a browser sender offers no list to accept: data flows from here
            if (start.startOffset() != 0) {
                throw protocolFailure("peer resumed a file that was never offered for resuming");
            }
            String relative = start.name();
            Manifest offered = Manifest.of(List.of(new Manifest.Entry(start.name(), start.size(), start.sha256(),
                    start.mtimeMillis())));
            refuseOverLimit(offered);
            if (!confirm.test(offered)) { // a sender without a file list is asked about like any other
                throw declined(1);
            }
            progress.onBatchStarted(1, start.size());
            beginFile(start.name(), start.size(), 0);
            if (out != null) {
                sink = new StreamSink();
            } else {
                Path target = ReceiverSupport.resolve(directory, start.name());
                relative = relativeName(target);
                checkContained(target, relative, realBase());
                ReceiverSupport.refuseIfTaken(target, relative, onExisting);
                try {
                    sink = new TempSink(PartFile.createFor(target, null), target);
                } catch (IOException x) {
                    throw ReceiverSupport.cannotCreate(target, relative, x);
                }
            }
            results.add(receiveContent(relative, Sha256.newDigest(), start.mtimeMillis(), start.sha256()));
            return new BatchResult(results, batchBytes, 0, this.start, System.nanoTime());
        }

        private void beginFile(String offeredName, long fileSize, long offset) {
            name = offeredName;
            size = fileSize;
            position = offset;
            acked = offset;
            progress.onFileStarted(offeredName, fileSize, offset);
        }

        private BatchResult.FileResult receiveContent(String relative, MessageDigest digest, Long mtime,
                String listedSha) throws RtcatException, InterruptedException {
            long resumed = position;
            while (true) {
                Event event = nextEvent();
                if (event instanceof Binary b) {
                    write(b.data(), digest, relative);
                } else if (event instanceof Text t) {
                    Message message = ReceiverSupport.decode(t.text());
                    if (message instanceof FileEnd end) {
                        return finish(end, relative, digest, mtime, listedSha, resumed);
                    } else if (message instanceof ErrorMessage e) {
                        throw senderAborted(e);
                    } else if (message instanceof FileStart || message instanceof BatchEnd
                            || message instanceof ManifestPage) {
                        throw protocolFailure("peer moved on before finishing " + relative);
                    }
                } else if (event instanceof Closed) {
                    throw closedMidway();
                } else if (event instanceof Overflow) {
                    throw protocolFailure("peer ignored flow control");
                }
            }
        }

        private void write(byte[] data, MessageDigest digest, String relative)
                throws RtcatException, InterruptedException {
            if (inbox.overflowed()) {
                throw protocolFailure("peer ignored flow control");
            }
            if (size >= 0 && position + data.length > size) {
                throw ReceiverSupport.tooMuchData(corrupt(), size, relative, discarded());
            }
            if (size < 0 && position + data.length > limit.unknown()) {
                throw new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, corrupt() + relative
                        + " of unknown size passed " + limit.unknown() + " bytes, the most this receiver accepts "
                        + "(--max-size)" + discarded(), "the receiver accepts at most " + limit.unknown()
                        + " bytes of unknown size", null);
            }
            try {
                sink.write(data);
            } catch (IOException e) {
                if (sink instanceof StreamSink && "Broken pipe".equals(e.getMessage())) {
                    // `receive --stdout | head -c 100`: the reader has all it wanted; the sender is told we cancel
                    throw new TransferFailure(Kind.OUTPUT_CLOSED, ProtocolCodec.CODE_CANCELLED,
                            "standard output was closed after " + position + " bytes of " + relative,
                            "the receiver's output was closed", null);
                }
                throw ReceiverSupport.cannotWrite("writing " + relative + " failed after " + position + " bytes: "
                        + FileSource.reason(e) + sink.leftover(), relative, e);
            }
            digest.update(data);
            position += data.length;
            inbox.consumed(data.length);
            progress.onBytes(batchBytes + position);
            if (position - acked >= ackInterval) {
                sendAck();
            }
        }

        private BatchResult.FileResult finish(FileEnd end, String relative, MessageDigest digest, Long mtime,
                String listedSha, long resumed) throws RtcatException, InterruptedException {
            String sizeProblem = ReceiverSupport.sizeProblem(end, size, position);
            if (sizeProblem != null) {
                throw sizeMismatch(sizeProblem, relative);
            }
            String actual = Sha256.hex(digest);
            String expected = end.sha256() != null ? end.sha256() : listedSha;
            for (String claimed : new String[] {end.sha256(), listedSha}) {
                if (claimed != null && !claimed.equals(actual)) {
                    throw new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_CHECKSUM, corrupt()
                            + "checksum mismatch for " + relative + ": sender says " + claimed
                            + ", received data hashes to " + actual + discarded(),
                            "checksum mismatch for " + relative, "send the file again");
                }
            }
            Path saved;
            try {
                saved = sink.commit(mtime);
            } catch (FileAlreadyExistsException e) {
                throw new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_EXISTS, "cannot create " + relative
                        + ": file exists" + sink.leftover(), "cannot create " + relative + ": file exists",
                        ReceiverSupport.CONFLICT_HINT);
            } catch (IOException e) {
                throw ReceiverSupport.cannotWrite("saving " + relative + " failed: " + FileSource.reason(e)
                        + sink.leftover(), relative);
            }
            sink = null;
            sendAck();
            String savedAs = saved == null ? null : relativeName(saved);
            ReceiverSupport.sendQuietly(channel, new Done(position, actual, savedAs == null ? name : savedAs));
            batchBytes += position;
            resumedBytes += resumed;
            progress.onFileDone(name, position);
            BatchResult.FileResult result = new BatchResult.FileResult(name, saved, savedAs, position, resumed,
                    actual, expected != null);
            name = null;
            return result;
        }

        private FileStart validate(FileStart start) throws RtcatException {
            ReceiverSupport.checkProtocol(start);
            if (start.size() >= 0 && start.startOffset() > start.size()) {
                throw protocolFailure("peer resumed " + ProtocolCodec.echo(start.name()) + " beyond its end");
            }
            return start;
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

        /** The next event; acknowledges written data whenever input pauses, so the sender never starves. */
        private Event nextEvent() throws RtcatException, InterruptedException {
            return ReceiverSupport.nextEvent(inbox, idleTimeout, () -> {
                if (name != null && position > acked) {
                    sendAck();
                }
            }, () -> name == null ? "" : " after " + position + " bytes of " + name + leftover());
        }

        private String leftover() {
            return sink == null ? "" : sink.leftover();
        }

        /** Bad data is never kept for resuming. */
        private String discarded() {
            return out != null ? "" : "; nothing was saved";
        }

        private String corrupt() {
            return out != null ? "output is corrupt: " : "";
        }

        private void sendAck() throws RtcatException, InterruptedException {
            send(new Ack(position));
            acked = position;
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
                throw new RtcatException(Kind.UNAVAILABLE, "cannot reach the peer: " + FileSource.reason(e)
                        + leftover());
            }
        }

        private RtcatException closedMidway() {
            if (name == null) {
                return new RtcatException(Kind.UNAVAILABLE, "peer closed the connection after " + results.size()
                        + " files");
            }
            return new RtcatException(Kind.UNAVAILABLE, "peer closed the connection after " + position
                    + (size >= 0 ? " of " + size : "") + " bytes of " + name + leftover());
        }

        private String relativeName(Path path) {
            return ReceiverSupport.relativeName(directory, path);
        }

        private TransferFailure cannotCreate(Path target, String relative, String reason, String hint) {
            return ReceiverSupport.cannotCreate(target, relative, reason, hint);
        }

        private TransferFailure escapes(Path target, String relative, Path link) {
            return new TransferFailure(Kind.CANT_CREATE, ProtocolCodec.CODE_NAME, "cannot create " + target + ": "
                    + link + " is a symbolic link leading outside " + directory + "; nothing was saved",
                    "cannot create " + relative + ": it would be written through a symbolic link",
                    "remove the link or receive into another directory");
        }

        private TransferFailure nameFailure(String message) {
            return new TransferFailure(Kind.PROTOCOL, ProtocolCodec.CODE_NAME, message, message, null);
        }

        private TransferFailure sizeMismatch(String detail, String relative) {
            return new TransferFailure(Kind.FAILED, ProtocolCodec.CODE_SIZE, corrupt() + detail + " for " + relative
                    + discarded(), detail + " for " + relative, "send the file again");
        }

        private TransferFailure protocolFailure(String message) {
            return ReceiverSupport.protocolFailure(message);
        }

        private RtcatException senderAborted(ErrorMessage e) {
            return new RtcatException(Kind.FAILED, "sender aborted: " + e.message() + leftover());
        }
    }

    /** Batch: the deterministic part file, kept on failure for resuming. */
    private final class ResumableSink implements Sink {
        private final Planned planned;
        private final FileChannel channel;
        private boolean bad;

        ResumableSink(Planned planned, FileChannel channel) {
            this.planned = planned;
            this.channel = channel;
        }

        @Override
        public void write(byte[] data) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public Path commit(Long mtimeMillis) throws IOException {
            planned.part.commit(channel, mtimeMillis);
            Path saved = Placement.place(planned.part.path, planned.target, onExisting);
            Files.deleteIfExists(planned.part.sidecar);
            Placement.syncDirectory(saved.getParent());
            return saved;
        }

        @Override
        public void abandon(boolean dataIsBad) {
            bad = dataIsBad || !resumable();
            try {
                channel.close();
            } catch (IOException ignored) {
                // deleted next, or kept as written so far
            }
            if (bad) {
                planned.part.delete();
            }
        }

        private boolean resumable() {
            return planned.entry.size() >= 0 && planned.entry.sha256() != null;
        }

        @Override
        public String leftover() {
            return bad || !resumable() ? "; nothing was saved" : "; the partial file is kept for resuming";
        }
    }

    /** Sender without manifest: a random temp file, removed on failure (as {@link FileReceiver} does). */
    private final class TempSink implements Sink {
        private final PartFile part;
        private final Path target;

        TempSink(PartFile part, Path target) {
            this.part = part;
            this.target = target;
        }

        @Override
        public void write(byte[] data) throws IOException {
            part.write(data);
        }

        @Override
        public Path commit(Long mtimeMillis) throws IOException {
            part.commit(mtimeMillis);
            return ReceiverSupport.place(part, target, onExisting);
        }

        @Override
        public void abandon(boolean dataIsBad) {
            part.discard();
        }

        @Override
        public String leftover() {
            return "; nothing was saved";
        }
    }

    /** {@link #toStream}: straight to the stream. */
    private final class StreamSink implements Sink {
        @Override
        public void write(byte[] data) throws IOException {
            out.write(data);
        }

        @Override
        public Path commit(Long mtimeMillis) throws IOException {
            out.flush();
            return null;
        }

        @Override
        public void abandon(boolean dataIsBad) {
            try {
                out.flush();
            } catch (IOException ignored) {
                // the stream is broken anyway
            }
        }

        @Override
        public String leftover() {
            return "";
        }
    }

    /** The target already holds the offered content; nothing is written. */
    private static final class PresentSink implements Sink {
        private final Path target;

        PresentSink(Path target) {
            this.target = target;
        }

        @Override
        public void write(byte[] data) throws IOException {
            throw new IOException("no data expected for a file that is already present");
        }

        @Override
        public Path commit(Long mtimeMillis) {
            return target;
        }

        @Override
        public void abandon(boolean dataIsBad) {
            // nothing was written
        }

        @Override
        public String leftover() {
            return "";
        }
    }
}
