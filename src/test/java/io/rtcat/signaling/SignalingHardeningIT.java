package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rtcat.errors.RtcatException;
import io.rtcat.testing.RawWebSocket;
import java.io.File;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's defences, with real sockets on 127.0.0.1: token, idle timeout, per-IP and rate
 * limits, abrupt disconnects, oversized and malformed input, TLS. Waits are bounded polls, never
 * sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalingHardeningIT {

    private static final Duration WAIT = Duration.ofSeconds(15); // generous: a shared CI machine can stall for seconds
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private SignalingServer start(ServerOptions opts) throws RtcatException {
        SignalingServer s = SignalingServer.start(new InetSocketAddress(LOOPBACK, 0), opts, WAIT);
        toClose.add(s);
        return s;
    }

    private SignalingClient connect(URI uri) throws RtcatException {
        SignalingClient c = SignalingClient.connect(uri, WAIT);
        toClose.add(c);
        return c;
    }

    private SignalingClient joined(URI uri, String room, String user) throws RtcatException {
        SignalingClient c = connect(uri);
        c.join(room, user);
        SignalMessage ack = expect(c, "joined");
        assertEquals(user, ack.userId());
        return c;
    }

    private static SignalMessage expect(SignalingClient c, String type) throws RtcatException {
        SignalMessage m = c.receive(WAIT);
        assertEquals(type, m.type(), () -> "unexpected message " + m);
        return m;
    }

    /** Waits for the next message of {@code type}, skipping others. */
    private static SignalMessage skipTo(SignalingClient c, String type) throws RtcatException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SignalMessage m = c.poll(Duration.ofMillis(200));
            if (m != null && m.type().equals(type)) {
                return m;
            }
        }
        throw new AssertionError("no " + type + " within " + WAIT);
    }

    private static SignalingClient.Closed closed(SignalingClient c) throws Exception {
        try {
            return c.whenClosed().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connection still open after " + WAIT.toMillis() + " ms", e);
        }
    }

    private static boolean closesWithin(SignalingClient c, long millis) throws Exception {
        try {
            c.whenClosed().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Two joined clients in a fresh room relay an offer both ways. */
    private void assertPairRelays(URI uri, String room) throws Exception {
        SignalingClient a = joined(uri, room, "alice");
        SignalingClient b = joined(uri, room, "bob");
        expect(a, "user-joined");
        a.send(SignalMessage.of("offer").with("target", "bob").with("n", "1"));
        SignalMessage got = expect(b, "offer");
        assertEquals("alice", got.get("sender"));
        b.send(SignalMessage.of("answer").with("target", "alice"));
        assertEquals("bob", expect(a, "answer").get("sender"));
    }

    private static URI withToken(URI base, String token) {
        return URI.create(base + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- token

    @Test
    void aPeerThatAnswersNoPingIsDroppedWhileOneThatAnswersStays() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withIdleTimeoutSeconds(0)
                .withConnectionLostTimeoutSeconds(1));
        SignalingClient answers = joined(server.uri(), "pings", "answers"); // the library's client answers pings
        try (RawWebSocket silent = RawWebSocket.open(LOOPBACK, server.port(), "/")) { // reads, never answers
            long opened = System.nanoTime();
            silent.sendText("{\"type\":\"join\",\"room\":\"pings\",\"userId\":\"silent\"}");

            RawWebSocket.Closed closed = silent.awaitClose(Duration.ofSeconds(10));

            assertEquals(RawWebSocket.NO_CLOSE_FRAME, closed.code(), "dropped: " + closed);
            assertTrue(System.nanoTime() - opened >= 1_500_000_000L, "only after 1.5 s of silence");
            // Silent longer than the dropped one (it joined first), so only its pongs kept it.
            assertTrue(answers.isOpen());
            SocketClient kept = server.liveConnections().stream().filter(c -> c.isOpen()).findFirst().orElseThrow();
            assertTrue(kept.pingedNanos != 0, "it was pinged");
        }
    }

    @Test
    void tokenIsRequiredAndCheckedAndNeverShown() throws Exception {
        String secret = "s3 cr&t/+";
        SignalingServer server = start(ServerOptions.defaults().withToken(secret));
        assertFalse(server.options().toString().contains(secret));

        // Nothing is sent on it: data arriving after the server's 4401 close can make its TCP stack answer with a
        // reset, which the client then reports as 1006 instead of the close the server sent (seen once in CI).
        SignalingClient none = connect(server.uri());
        assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, closed(none).code());
        assertEquals("unauthorized", closed(none).reason());

        SignalingClient wrong = connect(withToken(server.uri(), "guess"));
        assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, closed(wrong).code());
        RtcatException e = assertThrows(RtcatException.class, () -> wrong.receive(WAIT));
        assertFalse(e.getMessage().contains("guess"), e.getMessage());
        assertTrue(e.getMessage().contains("4401"), e.getMessage());
        assertNotNull(e.hint());

        SignalingClient prefix = connect(withToken(server.uri(), secret.substring(0, 3)));
        assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, closed(prefix).code());

        // The right token, URL-encoded, with the query passed through unchanged by the client.
        URI good = withToken(server.uri(), secret);
        assertPairRelays(good, "with-token");
        assertEquals(1, server.roomCount());
    }

    @Test
    void signedJoinTokensAdmitToOneRoomUntilTheyExpire() throws Exception {
        byte[] secret = new byte[JoinTokens.MIN_SECRET_BYTES];
        new java.util.Random(5).nextBytes(secret);
        SignalingServer server = start(ServerOptions.defaults().withJoinSecret(secret));
        java.time.Instant later = java.time.Instant.now().plusSeconds(600);

        // A valid token for room "team": two holders relay to each other.
        URI team = withToken(server.uri(), JoinTokens.mint(secret, "team", later));
        assertPairRelays(team, "team");

        // The same token, another room: refused, and the connection stays usable for its own room.
        SignalingClient elsewhere = connect(team);
        elsewhere.join("other", "carol");
        SignalMessage refused = expect(elsewhere, "error");
        assertEquals(SignalingProtocol.ERR_ROOM_NOT_ALLOWED, refused.code());
        elsewhere.join("team", "carol");
        skipTo(elsewhere, "joined");

        // Expired (a replay after its time), signed with another secret, or missing: closed with 4401.
        URI expired = withToken(server.uri(), JoinTokens.mint(secret, "team",
                java.time.Instant.now().minusSeconds(1)));
        byte[] other = secret.clone();
        other[0] ^= 1;
        URI forged = withToken(server.uri(), JoinTokens.mint(other, "team", later));
        for (URI bad : List.of(expired, forged, server.uri())) {
            SignalingClient c = connect(bad);
            SignalingClient.Closed why = closed(c);
            assertEquals(SignalingProtocol.CLOSE_UNAUTHORIZED, why.code(), bad.toString());
        }
        assertTrue(closed(connect(expired)).reason().contains("expired"));
    }

    @Test
    void clientMasksTheTokenInErrors() throws Exception {
        SignalingServer server = start(ServerOptions.defaults());
        int port = server.port();
        server.close();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/?room=x&token=topsecret");
        RtcatException e = assertThrows(RtcatException.class, () -> SignalingClient.connect(uri, WAIT));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertTrue(e.getMessage().contains("token=***"), e.getMessage());
    }

    // ---------------------------------------------------------------- idle timeout

    @Test
    void idleTimeoutClosesASilentClientButNotAnActiveOne() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withIdleTimeoutSeconds(1));
        SignalingClient silent = connect(server.uri());
        SignalingClient active = joined(server.uri(), "idle", "active");
        long start = System.nanoTime();
        boolean silentClosed = false;
        int rounds = 0;
        // Keep "active" talking every ~200 ms until well past the timeout and the silent one is gone.
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2500) || !silentClosed) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "silent client never closed");
            active.send(SignalMessage.of("keepalive").with("n", String.valueOf(rounds++)));
            if (silentClosed) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // pacing: a message every 200 ms
            } else {
                silentClosed = closesWithin(silent, 200);
            }
        }
        assertEquals(SignalingProtocol.CLOSE_IDLE, closed(silent).code());
        assertEquals("idle", closed(silent).reason());
        assertTrue(active.isOpen(), "active client was closed");
        SignalingClient other = joined(server.uri(), "idle", "other");
        expect(active, "user-joined");
        other.send(SignalMessage.of("offer").with("target", "active"));
        assertEquals("other", expect(active, "offer").get("sender"));
    }

    // ---------------------------------------------------------------- per-IP limit

    @Test
    void perIpConnectionLimitRejectsTheExtraOneOnly() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withMaxConnectionsPerIp(3));
        SignalingClient a = joined(server.uri(), "ip", "a");
        SignalingClient b = joined(server.uri(), "ip", "b");
        SignalingClient c = joined(server.uri(), "ip", "c");
        SignalingClient d = connect(server.uri());
        SignalingClient.Closed dc = closed(d);
        assertEquals(SignalingProtocol.CLOSE_TOO_MANY, dc.code());
        assertEquals("too many connections", dc.reason());
        assertEquals(3, server.connectionCount());

        skipTo(a, "user-joined");
        a.send(SignalMessage.of("offer").with("target", "c"));
        assertEquals("a", skipTo(c, "offer").get("sender"));

        // Freeing a slot admits a new connection (the server sees the close asynchronously).
        b.close();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SignalingClient e = SignalingClient.connect(server.uri(), WAIT);
            toClose.add(e);
            e.join("ip", "e");
            SignalMessage m = e.poll(WAIT);
            if (m != null && m.type().equals("joined")) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "no slot freed after a client left");
            e.close();
        }
    }

    // ---------------------------------------------------------------- rate limit

    @Test
    void rateLimitAnswersWithErrorAndServerKeepsServing() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withRateLimit(5, 10));
        SignalingClient spammer = joined(server.uri(), "rate", "spammer");
        SignalingClient victim = joined(server.uri(), "rate", "victim");
        for (int i = 0; i < 40; i++) {
            spammer.send(SignalMessage.of("spam").with("i", String.valueOf(i)));
        }
        SignalMessage err = skipTo(spammer, "error");
        assertEquals(SignalingProtocol.ERR_RATE_LIMITED, err.code());
        assertTrue(spammer.isOpen());

        // A well-behaved pair is unaffected.
        assertPairRelays(server.uri(), "calm");

        // The spammer itself is served again once its bucket refills.
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean through = false;
        while (!through) {
            assertTrue(System.nanoTime() < deadline, "rate-limited connection never recovered");
            spammer.send(SignalMessage.of("marker").with("target", "victim"));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until && !through) {
                SignalMessage m = victim.poll(Duration.ofMillis(50));
                through = m != null && m.type().equals("marker");
            }
        }
    }

    @Test
    void sustainedRateAbuseClosesTheConnection() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withRateLimit(1, 5));
        SignalingClient abuser = joined(server.uri(), "abuse", "x");
        for (int i = 0; i < SignalingProtocol.MAX_DROPPED_MESSAGES + 100 && abuser.isOpen(); i++) {
            try {
                abuser.send(SignalMessage.of("spam"));
            } catch (RtcatException e) {
                break; // closed meanwhile
            }
        }
        int code = closed(abuser).code();
        // The server closes with 4429; while the abuser's own flood is still in flight the TCP teardown can
        // overtake that close frame on a loaded machine, and the client then sees 1006 (seen once in CI).
        // Either way the server ended the connection; the rate-limited error below shows why.
        assertTrue(code == SignalingProtocol.CLOSE_TOO_MANY || code == 1006, "close code " + code);
        int errors = 0;
        for (SignalMessage m; (m = abuser.poll(Duration.ZERO)) != null; ) {
            assertEquals(SignalingProtocol.ERR_RATE_LIMITED, m.code(), m.toString());
            errors++;
        }
        assertTrue(errors >= 1 && errors < 10, "errors: " + errors);
        assertPairRelays(server.uri(), "after-abuse");
    }

    // ---------------------------------------------------------------- abrupt disconnects

    @Test
    void fiveHundredAbruptConnectionsLeaveTheServerServing() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withMaxConnectionsPerIp(0));
        List<Socket> raw = new ArrayList<>();
        try {
            for (int i = 0; i < 450; i++) {
                Socket s = new Socket();
                raw.add(s);
                s.connect(new InetSocketAddress(LOOPBACK, server.port()), 5000);
                if (i % 3 == 0) {
                    OutputStream out = s.getOutputStream();
                    out.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush(); // half a handshake, then nothing
                }
            }
            List<SignalingClient> members = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                SignalingClient c = SignalingClient.connect(server.uri(), WAIT);
                toClose.add(c);
                c.join("crowd-" + (i % 10), "u" + i);
                members.add(c);
            }
            for (SignalingClient c : members) {
                skipTo(c, "joined");
            }
            assertEquals(10, server.roomCount());
        } finally {
            for (Socket s : raw) {
                s.setSoLinger(true, 0); // RST, no close handshake
                s.close();
            }
        }
        for (Object c : toClose.toArray()) {
            if (c instanceof SignalingClient sc) {
                sc.closeAbruptly();
            }
        }
        // The dropped members leave their rooms; the server keeps serving.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.roomCount() != 0) {
            assertTrue(System.nanoTime() < deadline, "rooms left behind: " + server.roomCount());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // poll interval
        }
        assertPairRelays(server.uri(), "survivors");
        assertEquals(1, server.roomCount());
    }

    @Test
    void unfinishedHandshakeIsNotCountedAsAMember() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withMaxConnectionsPerIp(2));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, server.port()), 5000);
            // Per-IP limit counts open WebSocket connections; a raw socket does not take a slot.
            assertPairRelays(server.uri(), "raw-neighbour");
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void oversizedFrameClosesOnlyThatClient() throws Exception {
        SignalingServer server = start(ServerOptions.defaults().withMaxMessageBytes(512 * 1024));
        SignalingClient big = joined(server.uri(), "size", "big");
        SignalingClient small = joined(server.uri(), "size", "small");
        expect(big, "user-joined");
        big.sendRaw("{\"type\":\"offer\",\"pad\":\"" + "x".repeat(1 << 20) + "\"}");
        // The server closes with 1009 as soon as the frame header says too big; the client is then still sending
        // the rest of its frame, and the unread bytes can make the server's kernel answer with a reset that
        // reaches the client before the close frame (1006: CPU-hog CI run 4). So the code is asserted where the
        // server decides it, once, before anything goes out; the client only has to have been closed.
        int code = closed(big).code();
        assertTrue(code == SignalingProtocol.CLOSE_MESSAGE_TOO_BIG || code == 1006, "closed with " + code);
        assertEquals(1, server.metrics().rejections(ServerMetrics.MESSAGE_TOO_BIG));
        assertTrue(small.isOpen());
        assertEquals("big", skipTo(small, "user-left").userId());
        assertPairRelays(server.uri(), "size-2");
    }

    @Test
    void malformedAndUnknownMessagesDoNotHurt() throws Exception {
        SignalingServer server = start(ServerOptions.defaults());
        SignalingClient a = joined(server.uri(), "bad", "a");
        SignalingClient b = joined(server.uri(), "bad", "b");
        expect(a, "user-joined");
        for (String junk : List.of("{bad", "[1,2]", "null", "\"str\"", "{\"type\":1}", "{}", "{\"a\":1,\"a\":2}",
                "\u0000\u0001", "{\"type\":\"offer\"} trailing")) {
            a.sendRaw(junk);
            SignalMessage err = expect(a, "error");
            assertTrue(err.code().equals(SignalingProtocol.ERR_BAD_JSON)
                    || err.code().equals(SignalingProtocol.ERR_MISSING_TYPE), err.toString());
        }
        a.send(SignalMessage.of("custom-thing").with("x", "y"));
        SignalMessage relayed = expect(b, "custom-thing");
        assertEquals("a", relayed.get("sender"));
        assertEquals("y", relayed.get("x"));
        assertPairRelays(server.uri(), "bad-2");
    }

    // ---------------------------------------------------------------- TLS

    @Test
    void wssWorksEndToEndAndAnUntrustingClientFails(@TempDir Path dir) throws Exception {
        Path[] pem = makeCertificate(dir);
        SSLContext serverTls = PemTls.serverContext(pem[0], pem[1]);
        SSLContext trusting = PemTls.clientContextTrusting(pem[0]);
        SignalingServer server = start(ServerOptions.defaults().withSslContext(serverTls));
        assertEquals("wss", server.uri().getScheme());

        for (URI uri : List.of(server.uri(), URI.create("wss://localhost:" + server.port() + "/"))) {
            SignalingClient a = SignalingClient.connect(uri, WAIT, trusting);
            toClose.add(a);
            SignalingClient b = SignalingClient.connect(uri, WAIT, trusting);
            toClose.add(b);
            String room = "tls-" + uri.getHost();
            a.join(room, "a");
            expect(a, "joined");
            b.join(room, "b");
            expect(b, "joined");
            expect(a, "user-joined");
            a.send(SignalMessage.of("offer").with("target", "b"));
            assertEquals("a", expect(b, "offer").get("sender"));
        }

        RtcatException e = assertThrows(RtcatException.class, () -> SignalingClient.connect(server.uri(), WAIT));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        // Plain ws:// to a wss server does not open either.
        URI plain = URI.create("ws://127.0.0.1:" + server.port() + "/");
        RtcatException p = assertThrows(RtcatException.class, () -> SignalingClient.connect(plain, WAIT));
        assertTrue(p.kind() == RtcatException.Kind.UNAVAILABLE || p.kind() == RtcatException.Kind.TIMEOUT,
                p.getMessage());
        // The server is still fine after the failed handshakes.
        SignalingClient c = SignalingClient.connect(server.uri(), WAIT, trusting);
        toClose.add(c);
        c.join("tls-after", "c");
        expect(c, "joined");
    }

    @Test
    void pemErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.pem");
        RtcatException e = assertThrows(RtcatException.class, () -> PemTls.serverContext(missing, missing));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        Path[] pem = makeCertificate(dir);
        Path legacy = dir.resolve("legacy.pem");
        Files.writeString(legacy, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
        e = assertThrows(RtcatException.class, () -> PemTls.serverContext(pem[0], legacy));
        assertTrue(e.getMessage().contains(legacy.toString()), e.getMessage());
        assertTrue(e.hint().contains("openssl pkcs8 -topk8 -nocrypt"), e.hint());

        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        e = assertThrows(RtcatException.class, () -> PemTls.serverContext(garbage, pem[1]));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());

        // Key and certificate swapped.
        e = assertThrows(RtcatException.class, () -> PemTls.serverContext(pem[1], pem[0]));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
    }

    /** A self-signed EC certificate for localhost and 127.0.0.1: {cert.pem, key.pem}. */
    static Path[] makeCertificate(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        String keytool = System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool";
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile())
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("keytool did not finish");
        }
        assertEquals(0, p.exitValue(), () -> readQuietly(dir.resolve("keytool.log")));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        Key key = store.getKey("server", "changeit".toCharArray());
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
                + b64.encodeToString(store.getCertificate("server").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, keyPem};
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
