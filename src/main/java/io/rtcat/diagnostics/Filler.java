package io.rtcat.diagnostics;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Throughput filler: one chunk of pseudo-random bytes (incompressible, in case anything on the way compresses). */
final class Filler {

    static final int CHUNK = 64 * 1024;

    private static final ByteBuffer DATA;

    static {
        byte[] bytes = new byte[CHUNK];
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int i = 0; i < bytes.length; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
                bytes[i + j] = (byte) (v >>> (8 * j));
            }
        }
        DATA = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    private Filler() {
    }

    /** A fresh view of the chunk (position 0, limit {@link #CHUNK}); callers may move its position and limit. */
    static ByteBuffer buffer() {
        return DATA.duplicate();
    }
}
