import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.RawSendLoop;

/**
 * The start-up benchmark's reference process: `rtcat bench`'s bare webrtc-java send loop (two peers in one
 * process, no signaling, framing, hashing or disk) moving ARG bytes in 64 KiB messages under the default
 * 4 MiB watermark, then disposing the factory and exiting, as a plain webrtc-java program would.
 * scripts/bench-startup compiles it against target/rtcat.jar; it is not part of rtcat.
 */
public final class BareLoop {
    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]);
        RawSendLoop.Result r = RawSendLoop.run(PeerEngine.shared(), bytes, 64 * 1024,
                PeerConfig.DEFAULT_HIGH_WATERMARK, 120_000);
        PeerEngine.closeShared();
        System.out.printf("%d bytes in %.2f s%n", r.bytes(), r.nanos() / 1e9);
        System.exit(0);
    }
}
