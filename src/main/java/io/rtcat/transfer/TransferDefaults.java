package io.rtcat.transfer;

import java.time.Duration;

/** The transfer protocol's defaults, shared by the library, the commands and the benchmark. */
public final class TransferDefaults {

    /** Bytes the sender may have unacknowledged; also bounds the receiver's queue. */
    public static final long WINDOW = 16L * 1024 * 1024;
    /** How long a receiver waits for a silent sender once the transfer began. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** How long a sender waits for the receiver's hello before assuming a browser page. */
    public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(2);
    /** How long a sender waits for a confirmation; also the longest acceptable stall in acknowledgements. */
    public static final Duration DONE_TIMEOUT = Duration.ofSeconds(60);
    /** Bytes per binary message. */
    public static final int CHUNK_SIZE = ProtocolCodec.DEFAULT_CHUNK_SIZE;

    private TransferDefaults() {
    }
}
