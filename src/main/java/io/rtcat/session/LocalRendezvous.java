package io.rtcat.session;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.signaling.ServerOptions;
import io.rtcat.signaling.SignalingClient;
import io.rtcat.signaling.SignalingServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Two peers in this process that meet the way two machines do: through a signaling server on a real
 * socket (embedded here on 127.0.0.1, port chosen by the OS), one offering and one answering. Only the
 * descriptions and candidates go through the server; the data flows peer to peer over the machine's
 * own interfaces.
 */
public final class LocalRendezvous implements AutoCloseable {

    /** The two ends of the established connection. */
    public record Pair(Connection offerer, Connection answerer) {
    }

    private final SignalingServer server;
    private final SignalingClient offererSignaling;
    private final SignalingClient answererSignaling;

    private LocalRendezvous(SignalingServer server, SignalingClient a, SignalingClient b) {
        this.server = server;
        this.offererSignaling = a;
        this.answererSignaling = b;
    }

    /**
     * The in-process server's join deadline is the caller's timeout, not the public server's 10 s: both clients
     * are our own, and a slow machine (qemu-emulated aarch64, a small ARM board) can take longer than 10 s from
     * TCP connect to its first join.
     */
    static ServerOptions serverOptions(Duration timeout) {
        return ServerOptions.defaults().withHandshakeTimeoutSeconds((int) Math.min(3600,
                Math.max(ServerOptions.DEFAULT_HANDSHAKE_TIMEOUT_SECONDS, timeout.toSeconds())));
    }

    public static LocalRendezvous open(Duration timeout) throws RtcatException {
        SignalingServer server = SignalingServer.start(new InetSocketAddress("127.0.0.1", 0),
                serverOptions(timeout), timeout);
        SignalingClient a = null;
        try {
            a = SignalingClient.connect(server.uri(), timeout);
            SignalingClient b = SignalingClient.connect(server.uri(), timeout);
            return new LocalRendezvous(server, a, b);
        } catch (RtcatException | RuntimeException e) {
            if (a != null) {
                a.close();
            }
            server.close();
            throw e;
        }
    }

    /** Runs both handshakes at once and returns when both channels are open. */
    public Pair connect(PeerEngine engine, PeerConfig config, ChannelOptions channel, Duration timeout,
            Consumer<String> progress) throws RtcatException {
        String room = "loopback-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(2, Threads.named("rtcat-loopback-connect"));
        HandshakeOptions options = HandshakeOptions.plain(room, timeout);
        try {
            Future<Connection> offer = pool.submit(() -> new Handshake(offererSignaling, Role.OFFERER, options,
                    s -> progress.accept("offerer: " + s), null).connect(engine, config, channel, "offerer"));
            Future<Connection> answer = pool.submit(() -> new Handshake(answererSignaling, Role.ANSWERER, options,
                    s -> progress.accept("answerer: " + s), null).connect(engine, config, channel, "answerer"));
            Connection a = null;
            try {
                a = get(offer, timeout);
                return new Pair(a, get(answer, timeout));
            } catch (RtcatException | RuntimeException e) {
                if (a != null) {
                    a.close();
                }
                offer.cancel(true);
                answer.cancel(true);
                throw e;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Connection get(Future<Connection> f, Duration timeout) throws RtcatException {
        // The handshake has its own deadline; this only guards against a lost wake-up.
        return Futures.await(f, timeout.plusSeconds(5).toNanos(), () -> "connecting the two peers");
    }

    /** The signaling address the two peers used, e.g. for reports. */
    public String signalingUri() {
        return server.uri().toString();
    }

    @Override
    public void close() {
        offererSignaling.close();
        answererSignaling.close();
        server.close();
    }
}
