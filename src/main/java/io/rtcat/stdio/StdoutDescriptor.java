package io.rtcat.stdio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Makes file descriptor 1 belong to rtcat alone. libwebrtc's threads print to fd 1 on their own (e.g.
 * "Failed to attach thread" while the JVM shuts down), which would corrupt a {@code --json} document or
 * {@code --stdout} data. At start-up the real stdout is duplicated to a new descriptor (close-on-exec) and fd 1
 * is pointed at stderr; rtcat writes its own output to the duplicate through {@link #stream()}. Native noise
 * thus lands on stderr, and after {@link #silence()} in /dev/null.
 *
 * <p>Uses libc's dup/dup2/write through JNA ({@link Libc}). Where that cannot work
 * (Windows, a libc JNA cannot load) {@link #claim()} returns null and the caller keeps {@code System.out}.
 */
public final class StdoutDescriptor {

    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int O_WRONLY = 1;
    private static final int EINTR = 4;
    private static final int EPIPE = 32;
    private static final int BUFFER = 64 * 1024;

    /** The few libc calls used. */
    interface LibC extends Library {
        int fcntl(int fd, int cmd, int arg) throws LastErrorException;

        int dup2(int from, int to) throws LastErrorException;

        long write(int fd, Pointer buffer, long count) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final LibC libc;
    private final int fd;

    private StdoutDescriptor(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /** False where {@link #claim} is not even tried (Windows, or RTCAT_GUARD_STDOUT=0); loads nothing native. */
    public static boolean mayClaim() {
        return !Platform.isWindows() && !"0".equals(System.getenv("RTCAT_GUARD_STDOUT"));
    }

    /**
     * Moves the real stdout to a private descriptor and points fd 1 at stderr; null where this cannot be done
     * (then nothing changed).
     */
    public static StdoutDescriptor claim() {
        if (!mayClaim()) {
            return null;
        }
        try {
            LibC libc = Libc.load(LibC.class);
            int saved = libc.fcntl(STDOUT, F_DUPFD_CLOEXEC, 3);
            try {
                libc.dup2(STDERR, STDOUT);
            } catch (LastErrorException e) {
                libc.close(saved);
                return null;
            }
            return new StdoutDescriptor(libc, saved);
        } catch (LastErrorException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            return null; // no stdout at all (closed fd 1), or no native access: keep things as they are
        }
    }

    /** Writes to the real stdout; unbuffered (wrap it as needed), thread-safe. */
    public OutputStream stream() {
        return new DescriptorStream();
    }

    /** Points fd 1 at /dev/null: for the very end, when only native shutdown noise is left to come. */
    public void silence() {
        try {
            int devNull = libc.open("/dev/null", O_WRONLY);
            libc.dup2(devNull, STDOUT);
            libc.close(devNull);
        } catch (LastErrorException e) {
            // the noise then goes to stderr, which is still better than into the output
        }
    }

    private final class DescriptorStream extends OutputStream {
        private final Memory buffer = new Memory(BUFFER);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) throws IOException {
            while (length > 0) {
                int n = Math.min(length, BUFFER);
                buffer.write(0, data, offset, n);
                long done = 0;
                while (done < n) {
                    done += writeSome(buffer.share(done), n - done);
                }
                offset += n;
                length -= n;
            }
        }

        private long writeSome(Pointer from, long count) throws IOException {
            while (true) {
                try {
                    return libc.write(fd, from, count);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EINTR) {
                        continue;
                    }
                    throw new IOException(e.getErrorCode() == EPIPE ? "Broken pipe"
                            : "write to standard output failed (errno " + e.getErrorCode() + ")");
                }
            }
        }
    }
}
