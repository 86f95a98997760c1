package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.session.LocalAddresses;
import io.rtcat.signaling.ServerOptions;
import io.rtcat.signaling.SignalingServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** --port and --bind of the signaling server that `send` and `respond` run inside themselves. */
public final class EmbeddedServerOptions {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", converter = Converters.Port.class,
            description = "Port of the embedded signaling server (default: any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address the embedded signaling server listens on (default: ${DEFAULT-VALUE}).")
    String bind;

    SignalingServer start() throws RtcatException {
        return SignalingServer.start(new InetSocketAddress(bind, port), ServerOptions.defaults(),
                Duration.ofSeconds(10));
    }

    /** Whether other machines can reach the server at all (not when it listens on loopback only). */
    boolean reachableFromOtherMachines() {
        return !bind.startsWith("127.") && !bind.equals("::1") && !bind.equalsIgnoreCase("localhost");
    }

    /** The addresses to tell the other side: every reachable one when listening on all of them. */
    List<String> hostsToAnnounce() {
        return bind.equals("0.0.0.0") ? LocalAddresses.reachable() : List.of(bind);
    }
}
