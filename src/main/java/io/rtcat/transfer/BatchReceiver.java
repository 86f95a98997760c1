package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Receives a batch from {@link BatchSender} ({@code rtcat receive}), or a single file from a browser page.
 *
 * <p>With a manifest, every entry is checked before anything is written: names ({@link SafeName}),
 * symbolic links that would lead outside the target directory, duplicates, and conflicts
 * ({@link OnExisting}); then the confirmation callback decides. Files are written to deterministic
 * part files ({@code .<name>.rtcat-part} plus a {@code .json} sidecar describing the content) that
 * survive a failure, so the next transfer of the same content resumes them. With
 * {@link OnExisting#FAIL}, an existing file identical to the offered one (same size and SHA-256) is
 * not a conflict: it counts as received and is not sent again, so an interrupted batch can simply
 * be re-run. {@link #withoutResume} turns all of that off for receives that stand alone.
 *
 * <p>Without a manifest (a browser page sends {@code file-start} first), exactly one file is received
 * into a temp file: a failure leaves nothing behind.
 *
 * <p>The parts: {@link ReceivePlan} (where files go), {@link Sinks} (how they are written),
 * {@link BatchReception} (the protocol), {@link ReceiveFailures} (what goes wrong).
 */
public final class BatchReceiver {

    public static final int RESUME_BLOCK_SIZE = 1 << 20;

    /**
     * The largest file accepted: an announced size above {@code announced} is refused before anything is
     * written; a file of unknown size (a pipe) fails and is discarded once it passes {@code unknown}.
     */
    public record SizeLimit(long announced, long unknown) {
        public static final SizeLimit NONE = new SizeLimit(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** What the protocol needs to know. */
    record Config(long window, Duration idleTimeout, Predicate<Manifest> confirm, TransferProgress progress,
            SizeLimit limit) {
    }

    private final Path directory;
    private final OnExisting onExisting;
    private final Config config;
    private final Sinks.Mode mode;
    private final OutputStream out;
    private final PartFile.WriteHook writeHook;
    private final boolean durable;
    private final AtomicLong maxQueuedBytes = new AtomicLong();

    /** Accepts every valid manifest; default window and idle timeout. */
    public BatchReceiver(Path directory, OnExisting onExisting) {
        this(directory, onExisting, TransferDefaults.WINDOW, TransferDefaults.IDLE_TIMEOUT, m -> true,
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
        this(directory, onExisting, new Config(window, idleTimeout, confirm, progress, SizeLimit.NONE),
                Sinks.Mode.RESUMABLE, null, null, true);
    }

    private BatchReceiver(Path directory, OnExisting onExisting, Config config, Sinks.Mode mode, OutputStream out,
            PartFile.WriteHook writeHook, boolean durable) {
        if (config.window() < 1) {
            throw new IllegalArgumentException("window must be positive: " + config.window());
        }
        Objects.requireNonNull(config.idleTimeout(), "idleTimeout");
        Objects.requireNonNull(config.confirm(), "confirm");
        Objects.requireNonNull(config.progress(), "progress");
        Objects.requireNonNull(config.limit(), "limit");
        this.directory = directory.toAbsolutePath().normalize();
        this.onExisting = Objects.requireNonNull(onExisting, "onExisting");
        this.config = config;
        this.mode = mode;
        this.out = out;
        this.writeHook = writeHook;
        this.durable = durable;
    }

    private BatchReceiver with(Config c) {
        return new BatchReceiver(directory, onExisting, c, mode, out, writeHook, durable);
    }

    /** A copy with this size limit (default: none). */
    public BatchReceiver withSizeLimit(SizeLimit sizeLimit) {
        Config c = config;
        return with(new Config(c.window(), c.idleTimeout(), c.confirm(), c.progress(), sizeLimit));
    }

    public BatchReceiver withConfirmation(Predicate<Manifest> confirm) {
        Config c = config;
        return with(new Config(c.window(), c.idleTimeout(), confirm, c.progress(), c.limit()));
    }

    public BatchReceiver withProgress(TransferProgress progress) {
        Config c = config;
        return with(new Config(c.window(), c.idleTimeout(), c.confirm(), progress, c.limit()));
    }

    public BatchReceiver withIdleTimeout(Duration timeout) {
        Config c = config;
        return with(new Config(c.window(), timeout, c.confirm(), c.progress(), c.limit()));
    }

    /**
     * A copy that writes the content straight to {@code stream} (e.g. standard output) instead of the
     * directory: no temp file, no resume. Only a single file is accepted (a manifest with more entries is
     * refused with {@code USAGE} "--stdout needs exactly one file"). The content is verified at the end;
     * as the bytes have already been written by then, a mismatch fails with "output is corrupt". The
     * stream is flushed, not closed.
     */
    public BatchReceiver toStream(OutputStream stream) {
        return new BatchReceiver(directory, onExisting, config, Sinks.Mode.STREAM,
                Objects.requireNonNull(stream, "stream"), writeHook, durable);
    }

    /**
     * A copy for receives that stand alone (loopback, bench): each file goes to a random temp file that a
     * failure removes, nothing is offered for resuming, and an existing file with the offered content is a
     * conflict like any other.
     */
    public BatchReceiver withoutResume() {
        return new BatchReceiver(directory, onExisting, config, Sinks.Mode.ONE_SHOT, out, writeHook, durable);
    }

    /**
     * A copy that does not sync what it saves to disk, for a {@link #withoutResume} copy deleted right after (a
     * loopback into its temporary directory): there, syncing 256 MiB cost 0.1 s, and deleting the synced blocks
     * 0.04 s more than deleting unwritten ones.
     */
    public BatchReceiver withoutSync() {
        return new BatchReceiver(directory, onExisting, config, mode, out, writeHook, false);
    }

    /** Test seam: a copy whose disk writes go through {@code hook}. */
    BatchReceiver withWriteHook(PartFile.WriteHook hook) {
        return new BatchReceiver(directory, onExisting, config, mode, out, hook, durable);
    }

    /** Largest backlog of received-but-unwritten bytes seen so far, for tests of flow control. */
    long maxQueuedBytes() {
        return maxQueuedBytes.get();
    }

    /**
     * Installs itself as {@code channel}'s listener, says hello, and blocks until the batch (or the single
     * file of a sender without manifest) has been received.
     *
     * @param firstMessageTimeout how long to wait for the sender's manifest or file-start
     */
    public BatchResult receive(MessageChannel channel, Duration firstMessageTimeout) throws RtcatException {
        ReceiverInbox inbox = new ReceiverInbox(BatchReception.queueLimit(config.window()), maxQueuedBytes);
        channel.setListener(inbox);
        ReceivePlan plan = new ReceivePlan(directory, onExisting, mode);
        Sinks sinks = new Sinks(mode, plan, onExisting, out, writeHook, durable);
        return new BatchReception(channel, inbox, config, plan, sinks).receive(firstMessageTimeout);
    }
}
