package io.rtcat.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.util.SplittableRandom;

/**
 * Deterministic pseudo-random content for benchmarks. The byte stream depends only on the seed,
 * not on how the reader sizes its reads, so two opens yield identical bytes.
 */
final class GeneratedSource implements TransferSource {

    private static final int BLOCK_BYTES = 64 * 1024;

    private final String name;
    private final long size;
    private final long seed;

    GeneratedSource(String name, long size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        this.name = name;
        this.size = size;
        this.seed = seed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long mtimeMillis() {
        return -1;
    }

    @Override
    public ReadableByteChannel open() {
        return new Stream();
    }

    /**
     * Not hashed up front: generated content cannot change, and its users (loopback, bench) take a fresh seed
     * per run, so no receiver holds a part of it. That pass would cost a loopback of 256 MiB 0.3 s before the
     * first byte flows.
     */
    @Override
    public boolean hashedUpFront() {
        return false;
    }

    private final class Stream implements ReadableByteChannel {
        private final SplittableRandom random = new SplittableRandom(seed);
        // Filled a block at a time with whole longs: far faster than per-byte generation.
        private final ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN).flip();
        private long remaining = size;
        private boolean open = true;

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (remaining == 0) {
                return -1;
            }
            int copied = 0;
            while (dst.hasRemaining() && remaining > 0) {
                if (!block.hasRemaining()) {
                    refill();
                }
                int n = (int) Math.min(Math.min(dst.remaining(), block.remaining()), remaining);
                ByteBuffer slice = block.slice().limit(n);
                dst.put(slice);
                block.position(block.position() + n);
                remaining -= n;
                copied += n;
            }
            return copied;
        }

        private void refill() {
            block.clear();
            while (block.hasRemaining()) {
                block.putLong(random.nextLong());
            }
            block.flip();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
