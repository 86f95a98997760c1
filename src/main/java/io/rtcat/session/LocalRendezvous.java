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
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Starts the server and connects both clients, the two at once (about 30 ms of a loopback's start-up). */
    public static LocalRendezvous open(Duration timeout) throws RtcatException {
        SignalingServer server = SignalingServer.start(new InetSocketAddress("127.0.0.1", 0),
                serverOptions(timeout), timeout);
        AtomicReference<SignalingClient> made = new AtomicReference<>();
        FutureTask<SignalingClient> second = new FutureTask<>(() -> {
            made.set(SignalingClient.connect(server.uri(), timeout));
            return made.get();
        });
        Thread helper = Threads.daemon("rtcat-loopback-signaling", second);
        helper.start();
        SignalingClient first = null;
        try {
            first = SignalingClient.connect(server.uri(), timeout);
            // connect() has its own deadline; this one only guards against a lost wake-up
            return new LocalRendezvous(server, first, Futures.await(second, timeout.plusSeconds(5).toNanos(),
                    () -> "connecting to the embedded signaling server"));
        } catch (RtcatException | RuntimeException e) {
            second.cancel(true); // an interrupted connect gives up at once
            joinQuietly(helper, timeout.plusSeconds(5));
            closeBoth(first, made.get()); // a client made just as the cancel came is closed too
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
        closeBoth(offererSignaling, answererSignaling);
        server.close();
    }

    /**
     * Closes both clients at once: each close waits for the server's answer to a ping and to the close frame,
     * some 10-20 ms that need not be paid twice. Either may be null.
     */
    private static void closeBoth(SignalingClient a, SignalingClient b) {
        if (a == null || b == null) {
            closeIfOpen(a);
            closeIfOpen(b);
            return;
        }
        FutureTask<Void> other = new FutureTask<>(b::close, null);
        Threads.daemon("rtcat-loopback-signaling-close", other).start();
        a.close();
        Futures.awaitQuietly(other, SignalingClient.CLOSE_BOUND);
    }

    private static void joinQuietly(Thread t, Duration bound) {
        boolean interrupted = Thread.interrupted();
        try {
            t.join(bound.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeIfOpen(SignalingClient c) {
        if (c != null) {
            c.close();
        }
    }
}
