package io.rtcat.cli;

import io.rtcat.signaling.ServerOptions;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import io.rtcat.signaling.SignalingServer;
import io.rtcat.transfer.ProtocolCodec;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * The training run of the class-data sharing archive (scripts/dist-files/lib/cds-archive; README, "Start-up"): what
 * a loopback does before and around its transfer, minus WebRTC, so that the JDK classes and lambdas of that path
 * come from the archive too. A real loopback would open peer connections on the machine's interfaces, which a
 * background job must not do; this opens only a signaling server and two clients on 127.0.0.1.
 */
final class CdsTraining {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        parseALoopbacksOptions();
        meetThroughASignalingServer();
        hashAndWriteAChunk();
        ProtocolCodec.decode(ProtocolCodec.encode(new ProtocolCodec.Cancelled("sender", "training")));
    }

    private static void parseALoopbacksOptions() {
        String[] loopback = {"loopback", "--size", "1MiB", "--json"};
        StringWriter ignored = new StringWriter();
        Console console = new Console(new PrintWriter(ignored), new PrintWriter(ignored), false, System.in,
                OutputStream.nullOutputStream());
        Main.commandLine(console, RtcatCommand.neededFor(loopback)).parseArgs(loopback);
    }

    /** As LocalRendezvous does: a server on 127.0.0.1, two clients that join one room, one relayed message. */
    private static void meetThroughASignalingServer() throws Exception {
        try (SignalingServer server = SignalingServer.start(new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults(), WAIT);
                SignalingClient offerer = SignalingClient.connect(server.uri(), WAIT);
                SignalingClient answerer = SignalingClient.connect(server.uri(), WAIT)) {
            offerer.join("training", "offerer");
            offerer.receive(WAIT); // joined
            answerer.join("training", "answerer");
            answerer.receive(WAIT); // joined
            offerer.send(SignalMessage.of("training").with("target", "answerer"));
            answerer.receive(WAIT);
        }
    }

    private static void hashAndWriteAChunk() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        MessageDigest.getInstance("SHA-256").digest(chunk);
        Path dir = Files.createTempDirectory("rtcat-cds-training");
        Path file = dir.resolve("copy.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(chunk));
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }
}
