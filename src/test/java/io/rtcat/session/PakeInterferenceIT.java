package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rtcat.errors.Threads;
import io.rtcat.signaling.ServerOptions;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import io.rtcat.signaling.SignalingServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A third member of the room (anyone who guesses the nameplate) tries to abort or take over the code-phrase
 * handshake of two honest sides, over a real signaling server. Before the fix its junk round 1 made it the
 * sender's peer (and then failed the handshake), and its pake-failed aborted the sender at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PakeInterferenceIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ROOM = "7";
    private static final String SECRET = "crossbow-orbit";

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** One honest side: its authenticator fed by its own signaling connection, as Handshake does. */
    private final class Side {
        final SignalingClient client;
        final PakeAuthenticator auth;
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        final BlockingQueue<String> progress = new LinkedBlockingQueue<>();

        Side(SignalingServer server, String user, Role role) throws Exception {
            client = SignalingClient.connect(server.uri(), WAIT);
            open.add(client);
            auth = new PakeAuthenticator(SECRET, role, client, failure::complete, progress::add);
            ExecutorService loop = Threads.serial("test-pake-" + user); // confined to one loop, as in Attempt
            open.add(loop::shutdownNow);
            client.setListener(m -> loop.execute(() -> {
                if (m.type().equals("user-joined")) {
                    auth.newcomer(m.get("userId"));
                } else {
                    auth.handle(m);
                }
            }));
            client.join(ROOM, user);
            loop.execute(auth::start);
        }

        void awaitProgress(String text) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            String p;
            while ((p = progress.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                if (p.contains(text)) {
                    return;
                }
            }
            throw new AssertionError("no progress \"" + text + "\" within " + WAIT);
        }
    }

    @Test
    void aStrangersJunkRoundOneAndPakeFailedChangeNothing() throws Exception {
        SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerOptions.defaults(), WAIT);
        open.add(server);
        Side sender = new Side(server, "sender", Role.OFFERER);
        SignalingClient stranger = SignalingClient.connect(server.uri(), WAIT);
        open.add(stranger);
        stranger.join(ROOM, "stranger");
        // In this order: the sender handles one member's messages in the order they came, so once it reports
        // the last junk round 1 it has seen the pake-failed too.
        stranger.send(SignalMessage.of("pake-failed"));
        stranger.send(SignalMessage.of("pake").with("step", "1").with("payload", "junk"));
        stranger.send(SignalMessage.of("pake").with("step", "1").with("payload",
                JsonNodeFactory.instance.objectNode().put("gx1", "00").put("suite", "jpake-nist3072-sha256")));
        sender.awaitProgress("ignored a malformed PAKE message from stranger");
        sender.awaitProgress("ignored an invalid PAKE round 1 from stranger");
        assertFalse(sender.failure.isDone(), () -> "sender failed: " + sender.failure.join());

        Side receiver = new Side(server, "receiver", Role.ANSWERER);
        stranger.send(SignalMessage.of("pake-failed").with("target", "receiver"));
        byte[] k1 = sender.auth.key().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        byte[] k2 = receiver.auth.key().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(k1, k2);
        assertEquals("receiver", sender.auth.peer());
        assertEquals("sender", receiver.auth.peer());
        assertFalse(sender.failure.isDone(), () -> "sender failed: " + sender.failure.join());
        assertFalse(receiver.failure.isDone(), () -> "receiver failed: " + receiver.failure.join());
    }
}
