package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Standard input read through a daemon thread: same bytes, and a reader that an interrupt stops. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InterruptibleStreamChannelTest {

    @Test
    void passesEveryByteThroughAndThenTheEnd() throws IOException {
        byte[] data = new byte[3 * InterruptibleStreamChannel.BLOCK + 1234];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InterruptibleStreamChannel ch = new InterruptibleStreamChannel(new ByteArrayInputStream(data), "test")) {
            ByteBuffer buf = ByteBuffer.allocate(5000); // not a multiple of the block: reads straddle blocks
            int n;
            while ((n = ch.read(buf.clear())) >= 0) {
                got.write(buf.array(), 0, n);
            }
            assertEquals(-1, ch.read(buf.clear()), "the end stays the end");
        }
        assertArrayEquals(data, got.toByteArray());
    }

    @Test
    void anInterruptStopsAReadThatWaitsForData() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream empty = new PipedInputStream(writer); // open, and nothing ever comes
        InterruptibleStreamChannel ch = new InterruptibleStreamChannel(empty, "test");
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                ch.read(ByteBuffer.allocate(10));
                outcome.complete(null);
            } catch (Throwable t) {
                assertTrue(Thread.currentThread().isInterrupted(), "the flag says why (the sender cancels)");
                outcome.complete(t);
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.getState() != Thread.State.WAITING) { // blocked on the queue
            assertTrue(System.nanoTime() < deadline, "the reader never blocked: " + reader.getState());
            Thread.sleep(5);
        }
        reader.interrupt();
        assertSame(ClosedByInterruptException.class, outcome.get(10, TimeUnit.SECONDS).getClass());
        assertFalse(ch.isOpen());
        writer.close();
    }

    @Test
    void aReadFailureReachesTheReader() {
        IOException broken = new IOException("broken pipe");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw broken;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw broken;
            }
        };
        try (InterruptibleStreamChannel ch = new InterruptibleStreamChannel(failing, "test")) {
            assertSame(broken, assertThrows(IOException.class, () -> ch.read(ByteBuffer.allocate(10))));
        }
    }
}
