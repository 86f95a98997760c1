package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.transfer.ReceivePlan.Planned;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Where received content goes. The receive protocol writes to a {@link Sink} and never asks which kind it
 * has; {@link #forEntry} and {@link #forSingle} choose by {@link Mode} and by what the {@link ReceivePlan}
 * decided.
 */
final class Sinks {

    /** How a receiver keeps what it receives. */
    enum Mode {
        /** Deterministic part files kept on failure, so the next run resumes them ({@code rtcat receive}). */
        RESUMABLE,
        /** Random temp files removed on failure: each receive stands alone (loopback, bench). */
        ONE_SHOT,
        /** Straight to a stream, e.g. standard output: no temp file, no resume. */
        STREAM
    }

    /** Where one content stream goes. */
    interface Sink {
        void write(byte[] data) throws IOException;

        /** Content verified: make it durable and put it in place; returns the final path or null (stream). */
        Path commit(Long mtimeMillis) throws IOException;

        /** The receive failed; {@code dataIsBad} if what was written must not be resumed. Never throws. */
        void abandon(boolean dataIsBad);

        /** Appended to failure messages: what is left on disk. */
        String leftover();

        /** Put before the message of a failure found after the data was written (a stream cannot take it back). */
        default String corrupt() {
            return "";
        }

        /** Appended to the message of a failure over bad data: bad data is never kept for resuming. */
        default String discarded() {
            return "; nothing was saved";
        }

        /** The failure for a write of {@code relative} that failed with {@code e} after {@code position} bytes. */
        default TransferFailure writeFailed(IOException e, long position, String relative) {
            return ReceiveFailures.cannotWrite("writing " + relative + " failed after " + position + " bytes: "
                    + FileSource.reason(e) + leftover(), relative, e);
        }
    }

    private final Mode mode;
    private final ReceivePlan plan;
    private final OnExisting onExisting;
    private final OutputStream out;
    private final PartFile.WriteHook hook;
    private final boolean durable;

    /**
     * @param out the stream for {@link Mode#STREAM}, else null
     * @param hook test seam: sees every disk write before it happens; null for none
     * @param durable whether temp files are synced to disk before they are placed
     */
    Sinks(Mode mode, ReceivePlan plan, OnExisting onExisting, OutputStream out, PartFile.WriteHook hook,
            boolean durable) {
        this.mode = mode;
        this.plan = plan;
        this.onExisting = onExisting;
        this.out = out;
        this.hook = hook;
        this.durable = durable;
    }

    /** Whether content goes to a stream rather than into the directory. */
    boolean streams() {
        return mode == Mode.STREAM;
    }

    /**
     * The sink for a planned manifest entry whose data starts at {@code offset}; {@code digest} is fed what
     * is already on disk (a resumed prefix, or the whole of a file already present).
     */
    Sink forEntry(Planned p, long offset, MessageDigest digest) throws RtcatException {
        if (mode == Mode.STREAM) {
            return new StreamSink(out);
        }
        if (p.present) {
            try {
                feed(p.target, digest); // the final check verifies it is still the offered content
            } catch (IOException x) {
                throw ReceiveFailures.cannotRead(p.target, p.relativeName, x);
            }
            return new PresentSink(p.target);
        }
        plan.checkContained(p.target, p.relativeName); // again: the disk may have changed since the plan
        if (mode == Mode.ONE_SHOT) {
            return temp(p.target, p.relativeName);
        }
        try {
            Files.createDirectories(p.target.getParent());
            return new ResumableSink(p, p.part.open(offset, p.entry.size(), p.entry.sha256(), digest), onExisting,
                    hook, offset);
        } catch (IOException x) {
            throw ReceiveFailures.cannotCreate(p.target, p.relativeName, x);
        }
    }

    /** The sink for the one file of a sender without manifest: never resumable. */
    Sink forSingle(Path target, String relative) throws RtcatException {
        if (mode == Mode.STREAM) {
            return new StreamSink(out);
        }
        plan.checkContained(target, relative);
        plan.refuseIfTaken(target, relative);
        return temp(target, relative);
    }

    private Sink temp(Path target, String relative) throws TransferFailure {
        try {
            return new TempSink(PartFile.createFor(target, hook), target, onExisting, durable);
        } catch (IOException x) {
            throw ReceiveFailures.cannotCreate(target, relative, x);
        }
    }

    private static void feed(Path file, MessageDigest digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (in.read(buffer.clear()) >= 0) {
                digest.update(buffer.array(), 0, buffer.position());
            }
        }
    }

    /** The deterministic part file, kept on failure for resuming. */
    private static final class ResumableSink implements Sink {
        private final Planned planned;
        private final FileChannel channel;
        private final OnExisting onExisting;
        private final PartFile.WriteHook hook;
        private long position;
        private boolean bad;

        ResumableSink(Planned planned, FileChannel channel, OnExisting onExisting, PartFile.WriteHook hook,
                long offset) {
            this.planned = planned;
            this.channel = channel;
            this.onExisting = onExisting;
            this.hook = hook;
            this.position = offset;
        }

        @Override
        public void write(byte[] data) throws IOException {
            if (hook != null) {
                hook.beforeWrite(position, data.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            position += data.length;
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

    /** A random temp file beside the target, removed on failure. */
    private static final class TempSink implements Sink {
        private final PartFile part;
        private final Path target;
        private final OnExisting onExisting;
        private final boolean durable;

        TempSink(PartFile part, Path target, OnExisting onExisting, boolean durable) {
            this.part = part;
            this.target = target;
            this.onExisting = onExisting;
            this.durable = durable;
        }

        @Override
        public void write(byte[] data) throws IOException {
            part.write(data);
        }

        @Override
        public Path commit(Long mtimeMillis) throws IOException {
            part.commit(mtimeMillis, durable);
            Path saved = Placement.place(part.path(), target, onExisting);
            part.placed();
            if (durable) {
                Placement.syncDirectory(saved.getParent());
            }
            return saved;
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

    /** Straight to the stream; flushed, never closed. */
    private static final class StreamSink implements Sink {
        private final OutputStream out;

        StreamSink(OutputStream out) {
            this.out = out;
        }

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

        @Override
        public String corrupt() {
            return "output is corrupt: ";
        }

        @Override
        public String discarded() {
            return "";
        }

        @Override
        public TransferFailure writeFailed(IOException e, long position, String relative) {
            if ("Broken pipe".equals(e.getMessage())) {
                return ReceiveFailures.outputClosed(position, relative);
            }
            return Sink.super.writeFailed(e, position, relative);
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
