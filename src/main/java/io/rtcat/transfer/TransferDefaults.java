package io.rtcat.transfer;

import java.time.Duration;

/** The transfer protocol's defaults, shared by the library, the commands and the benchmark. */
public final class TransferDefaults {

    /** Bytes the sender may have unacknowledged; also bounds the receiver's queue. */
    public static final long WINDOW = 16L * 1024 * 1024;
    /** How long a receiver waits for a silent sender once the transfer began. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long a sender waits for the receiver's hello before assuming a browser page that does not speak the
     * protocol (plain rooms, where the tutorial's pages meet rtcat).
     */
    public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The same wait for a receiver known to say hello (one that passed the PAKE: rtcat or rtcat's page, or the
     * loopback's own receiver). A late hello there means a busy machine, and giving up after 2 s would send
     * without the checks of the protocol (the rtcat page waits as long for a sender's first message).
     */
    public static final Duration KNOWN_PEER_HELLO_TIMEOUT = Duration.ofSeconds(30);
    /** How long a sender waits for a confirmation; also the longest acceptable stall in acknowledgements. */
    public static final Duration DONE_TIMEOUT = Duration.ofSeconds(60);
    /** Bytes per binary message. */
    public static final int CHUNK_SIZE = ProtocolCodec.DEFAULT_CHUNK_SIZE;

    private TransferDefaults() {
    }
}
