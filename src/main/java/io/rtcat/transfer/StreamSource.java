package io.rtcat.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** A pipe such as standard input: unknown size, readable once. */
final class StreamSource implements TransferSource {

    private final InputStream in;
    private final String name;
    private final AtomicBoolean opened = new AtomicBoolean();

    StreamSource(InputStream in, String name) {
        this.in = Objects.requireNonNull(in, "in");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return UNKNOWN_SIZE;
    }

    @Override
    public long mtimeMillis() {
        return -1;
    }

    /**
     * The stream, read on a daemon thread so that an interrupted sender stops at once even while the pipe
     * gives nothing; closing the returned channel leaves the underlying stream open (it is not ours).
     */
    @Override
    public ReadableByteChannel open() throws IOException {
        if (!opened.compareAndSet(false, true)) {
            throw new IOException("standard input can only be read once");
        }
        return new InterruptibleStreamChannel(in, name);
    }

    @Override
    public String toString() {
        return "standard input";
    }
}
