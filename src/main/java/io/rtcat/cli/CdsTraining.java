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
        String[] loopback = {"loopback", "--size", "1MiB", "--json"};
        StringWriter ignored = new StringWriter();
        Console console = new Console(new PrintWriter(ignored), new PrintWriter(ignored), false, System.in,
                OutputStream.nullOutputStream());
        Main.commandLine(console, RtcatCommand.neededFor(loopback)).parseArgs(loopback);

        try (SignalingServer server = SignalingServer.start(new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults(), WAIT);
                SignalingClient offerer = SignalingClient.connect(server.uri(), WAIT);
                SignalingClient answerer = SignalingClient.connect(server.uri(), WAIT)) {
            offerer.join("training", "offerer");
            offerer.receive(WAIT);
            answerer.join("training", "answerer");
            answerer.receive(WAIT);
            offerer.send(SignalMessage.of("training").with("target", "answerer"));
            answerer.receive(WAIT);
        }

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[64 * 1024];
        sha256.update(chunk);
        sha256.digest();
        Path dir = Files.createTempDirectory("rtcat-cds-training");
        Path file = dir.resolve("copy.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(chunk));
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
        ProtocolCodec.decode(ProtocolCodec.encode(new ProtocolCodec.Cancelled("sender", "training")));
    }
}
