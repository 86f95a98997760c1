package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.transfer.ChunkReader.ReadFailed;
import io.rtcat.transfer.ChunkReader.SourceChanged;
import io.rtcat.transfer.ProtocolCodec.BatchDone;
import io.rtcat.transfer.ProtocolCodec.BatchEnd;
import io.rtcat.transfer.ProtocolCodec.Done;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import io.rtcat.transfer.ProtocolCodec.Resume;
import io.rtcat.transfer.ProtocolCodec.Unknown;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends several files over one {@link MessageChannel}, e.g. {@code rtcat send PATH...}.
 *
 * <p>Against an rtcat receiver (which says hello) it first sends a {@link Manifest} with every
 * file's size and SHA-256, waits for the receiver to accept it ({@code manifest-ack}, which may
 * say how much of a file it already holds from an interrupted run), then sends each file with the
 * the credit window, acknowledgements and per-file {@code done}, resuming
 * where the receiver's partial file still matches, and ends with {@code batch-end}.
 *
 * <p>Against a browser page (no hello within the hello timeout) each file is sent in the minimal
 * protocol v1 form one after another; sources of unknown size are refused up front.
 */
public final class BatchSender {

    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofMinutes(10);
    /** Largest manifest page; well below the 256 KiB data-channel message limit. */
    static final int MANIFEST_PAGE_BYTES = 60_000;
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final int chunkSize;
    private final Duration helloTimeout;
    private final Duration doneTimeout;
    private final Duration confirmTimeout;
    private final TransferProgress progress;
    private volatile ReceiverFeedback lastFeedback;
    private volatile long pathRttNanos = -1;

    public BatchSender() {
        this(TransferDefaults.CHUNK_SIZE, TransferDefaults.HELLO_TIMEOUT, TransferDefaults.DONE_TIMEOUT,
                DEFAULT_CONFIRM_TIMEOUT, TransferProgress.NONE);
    }

    /**
     * @param chunkSize bytes per binary message, 1..262144 (further capped by the channel's maximum)
     * @param helloTimeout how long to wait for the receiver's hello before assuming a browser page
     * @param doneTimeout how long to wait for each confirmation, and the longest acceptable stall in acks
     * @param confirmTimeout how long the receiver may take to accept the manifest (its user may be asked)
     * @param progress called on the sending thread
     */
    public BatchSender(int chunkSize, Duration helloTimeout, Duration doneTimeout, Duration confirmTimeout,
            TransferProgress progress) {
        this.chunkSize = ChunkReader.checkChunkSize(chunkSize);
        this.helloTimeout = Objects.requireNonNull(helloTimeout, "helloTimeout");
        this.doneTimeout = Objects.requireNonNull(doneTimeout, "doneTimeout");
        this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Installs itself as {@code channel}'s listener and sends {@code sources} in order; returns once the
     * receiver confirmed everything (rtcat) or everything was flushed (browser).
     *
     * @throws RtcatException {@code USAGE} for an empty list, duplicate names, or a source of unknown size
     *     for a browser receiver; {@code FAILED} "the receiver declined the transfer"; {@code UNAVAILABLE},
     *     {@code TIMEOUT}, {@code IO} and the receiver's refusals while sending
     */
    public BatchResult send(MessageChannel channel, List<TransferSource> sources) throws RtcatException {
        if (sources.isEmpty()) {
            throw new RtcatException(Kind.USAGE, "no files to send", "empty directories are not transferred");
        }
        Set<String> names = new HashSet<>();
        for (TransferSource s : sources) {
            if (!names.add(s.name())) {
                throw new RtcatException(Kind.USAGE, "two files would both be named " + s.name());
            }
        }
        ReceiverFeedback feedback = new ReceiverFeedback(new Pacer(System::nanoTime, pathRttNanos));
        lastFeedback = feedback;
        channel.setListener(feedback);
        Run run = new Run(channel, List.copyOf(sources), feedback);
        try {
            return run.run();
        } catch (InterruptedException e) {
            throw interrupted(channel, run, null);
        } catch (RtcatException e) {
            if (Cancellation.interruptedHere() && e.kind() != Kind.PEER_CANCELLED) {
                throw interrupted(channel, run, e); // e.g. reading the file cut short by the interrupt
            }
            if (e.kind() == Kind.PEER_CANCELLED) {
                channel.close(); // the receiver waits for our hang-up as the sign that its cancel arrived
            }
            throw e;
        }
    }

    /** Tells the receiver this side cancels (it stops at once) and says how far sending got. */
    private static RtcatException interrupted(MessageChannel channel, Run run, RtcatException cause) {
        Cancellation.tell(channel, ProtocolCodec.SENDER, "interrupted");
        Thread.currentThread().interrupt();
        return new RtcatException(Kind.INTERRUPTED, "sending was interrupted"
                + (run.current == null ? "" : " in " + run.current.name() + " after " + run.sent + " bytes"), null,
                cause);
    }

    /** State of one {@link #send} call. */
    private final class Run {
        private final MessageChannel channel;
        private final List<TransferSource> sources;
        private final ReceiverFeedback feedback;
        private final ChannelWriter writer;
        private final int chunk;
        private final ByteBuffer buffer;
        private TransferSource current;
        private long size; // of the current file, negative if unknown
        private long sent; // position in the current file
        private long batchBytes; // completed files
        private long lastKeepalive = System.nanoTime();

        Run(MessageChannel channel, List<TransferSource> sources, ReceiverFeedback feedback) {
            this.channel = channel;
            this.sources = sources;
            this.feedback = feedback;
            this.writer = new ChannelWriter(channel, feedback, this::position);
            this.chunk = ChunkReader.chunkFor(chunkSize, channel);
            this.buffer = ByteBuffer.allocate(chunk); // reused; sendBinary copies before returning
        }

        ChannelWriter.Position position() {
            return new ChannelWriter.Position(sent, size,
                    current == null ? "" : " after " + sent + " bytes of " + current.name());
        }

        BatchResult run() throws RtcatException, InterruptedException {
            if (!feedback.awaitHello(helloTimeout.toNanos(), 0, 0)) {
                return sendToBrowser(System.nanoTime());
            }
            Manifest manifest = buildManifest();
            for (String page : ProtocolCodec.encodeManifest(manifest,
                    Math.min(MANIFEST_PAGE_BYTES, channel.maxMessageSize()))) {
                sendText(page);
            }
            Map<String, Resume> resume = new HashMap<>();
            for (Resume r : feedback.awaitManifestAck(confirmTimeout.toNanos())) {
                resume.put(r.name(), r);
            }
            // The clock starts with the first byte after acceptance: the receiver's user may take a while.
            long start = System.nanoTime();
            progress.onBatchStarted(sources.size(), manifest.totalBytes());
            List<BatchResult.FileResult> results = new ArrayList<>();
            long resumedBytes = 0;
            for (int i = 0; i < sources.size(); i++) {
                BatchResult.FileResult r = sendFile(sources.get(i), manifest.files().get(i), resume.get(
                        sources.get(i).name()));
                results.add(r);
                resumedBytes += r.resumedBytes();
            }
            current = null;
            sendText(ProtocolCodec.encode(new BatchEnd(sources.size())));
            BatchDone done = feedback.awaitBatchDone(doneTimeout.toNanos(), batchBytes);
            if (done.files() != sources.size() || done.bytes() != batchBytes) {
                throw new RtcatException(Kind.FAILED, "receiver reports " + done.files() + " files with "
                        + done.bytes() + " bytes but " + sources.size() + " files with " + batchBytes
                        + " bytes were sent");
            }
            long end = System.nanoTime();
            channel.close(); // the receiver waits for this sign that its batch-done arrived before it closes
            return new BatchResult(results, batchBytes, resumedBytes, start, end);
        }

        /**
         * Hashes every file up front so the receiver can match partial files from an interrupted run
         * before any data flows. Files are therefore read twice (three times when resumed); reading
         * locally is far faster than the network, so that is an acceptable price. Pipes and generated data
         * ({@link TransferSource#hashedUpFront}) are not hashed.
         */
        private Manifest buildManifest() throws RtcatException, InterruptedException {
            List<Manifest.Entry> entries = new ArrayList<>();
            for (TransferSource s : sources) {
                if (s.size() < 0) {
                    entries.add(new Manifest.Entry(s.name(), ProtocolCodec.UNKNOWN_SIZE, null, null));
                } else {
                    entries.add(new Manifest.Entry(s.name(), s.size(), s.hashedUpFront() ? hashWhole(s) : null,
                            s.mtimeMillis() >= 0 ? s.mtimeMillis() : null));
                }
            }
            return Manifest.of(entries);
        }

        private String hashWhole(TransferSource s) throws RtcatException, InterruptedException {
            MessageDigest digest = Sha256.newDigest();
            try (ReadableByteChannel in = ChunkReader.open(s)) {
                long read = 0;
                int n;
                while ((n = in.read(buffer.clear())) >= 0) {
                    digest.update(buffer.array(), 0, n);
                    read += n;
                    keepAlive();
                }
                if (read != s.size()) {
                    throw new RtcatException(Kind.IO, s + " changed while being read: " + read + " instead of "
                            + s.size() + " bytes", "send it again once nothing is writing to it");
                }
            } catch (IOException e) {
                throw new RtcatException(Kind.IO, "reading " + s + " failed: " + FileSource.reason(e));
            }
            return Sha256.hex(digest);
        }

        /** Receivers treat unknown message types as a sign of life while this side is busy hashing. */
        private void keepAlive() throws RtcatException, InterruptedException {
            long now = System.nanoTime();
            if (now - lastKeepalive >= KEEPALIVE_NANOS) {
                lastKeepalive = now;
                sendText(ProtocolCodec.encode(new Unknown("preparing")));
            }
        }

        /** First offset whose block differs from the receiver's partial file; blocks before it are kept. */
        private long resumeOffset(TransferSource s, Resume r) throws RtcatException, InterruptedException {
            if (r == null || s.size() < 0) {
                return 0;
            }
            long limit = Math.min(r.offset(), s.size());
            long offset = 0;
            ByteBuffer block = ByteBuffer.allocate((int) Math.min(r.blockSize(), 1 << 20));
            try (ReadableByteChannel in = ChunkReader.open(s)) {
                for (String expected : r.blocks()) {
                    long end = Math.min(offset + r.blockSize(), r.offset());
                    if (end > limit) {
                        break;
                    }
                    MessageDigest digest = Sha256.newDigest();
                    long left = end - offset;
                    while (left > 0) {
                        block.clear().limit((int) Math.min(block.capacity(), left));
                        int n = in.read(block);
                        if (n < 0) {
                            return offset; // shrank; the final hash check will say so
                        }
                        digest.update(block.array(), 0, n);
                        left -= n;
                    }
                    keepAlive();
                    if (!Sha256.hex(digest).equals(expected)) {
                        break;
                    }
                    offset = end;
                }
            } catch (IOException e) {
                throw new RtcatException(Kind.IO, "reading " + s + " failed: " + FileSource.reason(e));
            }
            return offset;
        }

        private BatchResult.FileResult sendFile(TransferSource s, Manifest.Entry entry, Resume r)
                throws RtcatException, InterruptedException {
            long offset = resumeOffset(s, r);
            current = s;
            size = s.size();
            sent = offset;
            feedback.startFile(offset);
            Long totalChunks = size < 0 ? null : ProtocolCodec.totalChunks(size - offset, chunk);
            sendText(ProtocolCodec.encode(new FileStart(s.name(), size, totalChunks, ProtocolCodec.VERSION, chunk,
                    entry.mtimeMillis(), null, offset == 0 ? null : offset)));
            progress.onFileStarted(s.name(), size, offset);
            String sha256 = stream(s, offset);
            if (entry.sha256() != null && !entry.sha256().equals(sha256)) {
                throw toldReceiver(s, new SourceChanged(s, "its content differs from when it was listed"));
            }
            sendText(ProtocolCodec.encode(new FileEnd(sha256, sent)));
            Done done = feedback.awaitDone(doneTimeout.toNanos(), sent);
            if (!sha256.equals(done.sha256()) || done.bytes() != sent) {
                throw new RtcatException(Kind.FAILED, "receiver saved " + done.bytes() + " bytes with sha256 "
                        + done.sha256() + " but " + sent + " bytes with sha256 " + sha256 + " were sent for "
                        + s.name());
            }
            batchBytes += sent;
            progress.onFileDone(s.name(), sent);
            return new BatchResult.FileResult(s.name(), null, done.name(), sent, offset, sha256, true);
        }

        private BatchResult sendToBrowser(long start) throws RtcatException, InterruptedException {
            for (TransferSource s : sources) {
                if (s.size() < 0) {
                    throw new RtcatException(Kind.USAGE, "a browser receiver needs files of known size",
                            "save " + s + " to a file first");
                }
            }
            long total = sources.stream().mapToLong(TransferSource::size).sum();
            progress.onBatchStarted(sources.size(), total);
            List<BatchResult.FileResult> results = new ArrayList<>();
            for (TransferSource s : sources) {
                current = s;
                size = s.size();
                sent = 0;
                sendText(ProtocolCodec.encode(FileStart.browser(s.name(), size, ProtocolCodec.totalChunks(size, chunk))));
                progress.onFileStarted(s.name(), size, 0);
                String sha256 = stream(s, 0);
                sendText(ProtocolCodec.encode(new FileEnd(sha256, size)));
                writer.drain(doneTimeout.toMillis());
                batchBytes += size;
                progress.onFileDone(s.name(), size);
                results.add(new BatchResult.FileResult(s.name(), null, null, size, 0, sha256, false));
            }
            current = null;
            return new BatchResult(results, batchBytes, 0, start, System.nanoTime());
        }

        /**
         * Sends the content from {@code offset} (hashing the skipped prefix too); returns the whole hash. A source
         * that changed or cannot be read is told to the receiver, so it stops waiting and discards the part.
         */
        private String stream(TransferSource s, long offset) throws RtcatException, InterruptedException {
            try {
                return streamFrom(s, offset);
            } catch (SourceChanged | ReadFailed e) {
                throw toldReceiver(s, e);
            }
        }

        private RtcatException toldReceiver(TransferSource s, RtcatException e) {
            if (e instanceof SourceChanged) {
                writer.tellReceiver(ProtocolCodec.CODE_IO, s.name() + " changed while being sent");
            } else if (!Cancellation.interruptedHere()) { // an interrupted read is the sender cancelling, said later
                writer.tellReceiver(ProtocolCodec.CODE_IO, "sender could not read " + s.name());
            }
            return e;
        }

        private String streamFrom(TransferSource s, long offset) throws RtcatException, InterruptedException {
            MessageDigest digest = Sha256.newDigest();
            try (ChunkReader in = new ChunkReader(s)) {
                in.skip(buffer, offset, digest, sent);
                long stallNanos = doneTimeout.toNanos();
                while (size < 0 || sent < size) {
                    int n;
                    if (size < 0) {
                        n = in.readSome(buffer, sent);
                    } else {
                        n = (int) Math.min(chunk, size - sent);
                        in.readExactly(buffer, n, sent);
                    }
                    if (n < 0) {
                        break; // end of a pipe
                    }
                    digest.update(buffer.array(), 0, n);
                    feedback.awaitCredit(sent, n, size, stallNanos);
                    writer.sendChunk(buffer);
                    sent += n;
                    progress.onBytes(batchBytes + sent);
                }
                if (size >= 0) {
                    in.checkNoExtraBytes(buffer, size, "after " + sent + " bytes");
                }
            }
            return Sha256.hex(digest);
        }

        private void sendText(String text) throws RtcatException, InterruptedException {
            writer.sendText(text);
        }
    }

    /**
     * The round trip the connection measured (ICE), for pacing; null or NaN if unknown. Without it the pacer
     * learns the round trip from acknowledgements, which at first include SCTP's slow start.
     */
    public BatchSender withPathRtt(Double millis) {
        pathRttNanos = pathRttNanos(millis);
        return this;
    }

    /**
     * libwebrtc counts a candidate pair's round trip in whole milliseconds, so a 0 is a path under 1 ms (a
     * loopback, a LAN), not an unknown one: taken as 0.5 ms, which keeps such a path unpaced and reported as
     * such instead of by the queueing delay its acknowledgements carry.
     */
    static long pathRttNanos(Double millis) {
        if (millis == null || millis.isNaN() || millis < 0) {
            return -1;
        }
        return (long) (Math.max(millis, 0.5) * 1e6);
    }

    /** What pacing saw and did in the latest {@code send}, or null before one. */
    public PacingSummary pacing() {
        ReceiverFeedback f = lastFeedback;
        return f == null ? null : f.pacing();
    }
}
