package io.rtcat.stdio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * An output stream whose target is decided at the first write, flush or close: rtcat's standard output while
 * {@link StdoutDescriptor#claim} may still be under way on another thread (see Main).
 */
public final class DeferredStream extends OutputStream {

    private final Supplier<OutputStream> target;
    private volatile OutputStream resolved;

    public DeferredStream(Supplier<OutputStream> target) {
        this.target = target;
    }

    private OutputStream out() {
        OutputStream o = resolved;
        if (o == null) {
            synchronized (this) {
                o = resolved;
                if (o == null) {
                    o = target.get();
                    resolved = o;
                }
            }
        }
        return o;
    }

    @Override
    public void write(int b) throws IOException {
        out().write(b);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        out().write(data, offset, length);
    }

    @Override
    public void flush() throws IOException {
        out().flush();
    }

    @Override
    public void close() throws IOException {
        out().close();
    }
}
