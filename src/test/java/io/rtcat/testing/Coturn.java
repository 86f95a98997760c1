package io.rtcat.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn STUN/TURN server for one test, listening on the namespace's veth address. With
 * {@code CI=true} a missing coturn fails the test instead of skipping it.
 */
public final class Coturn implements AutoCloseable {

    public static final String HOST = "10.99.0.1";
    public static final String USER = "rtcat";
    public static final String PASS = "s3cret";

    private final Process process;
    private final Path log;
    private final int port;

    private Coturn(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static Coturn start(int port) throws Exception {
        return start(port, List.of("--lt-cred-mech", "--user=" + USER + ":" + PASS));
    }

    /**
     * coturn in TURN REST mode ({@code use-auth-secret}): it accepts only usernames {@code EXPIRY:LABEL} whose
     * password is base64(HMAC-SHA1(secret, username)), i.e. what `rtcat signal --turn-secret-file` hands out.
     */
    public static Coturn startWithAuthSecret(int port, String secret) throws Exception {
        return start(port, List.of("--use-auth-secret", "--static-auth-secret=" + secret));
    }

    private static Coturn start(int port, List<String> auth) throws Exception {
        Path binary = Path.of("/usr/bin/turnserver");
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(binary)) {
            if (ci) {
                throw new AssertionError("coturn is not installed (scripts/install-deps --test installs it)");
            }
            assumeTrue(false, "coturn not installed");
        }
        Path log = Files.createTempFile("coturn", ".log");
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "-n",
                "--listening-ip=" + HOST, "--listening-port=" + port, "--relay-ip=" + HOST,
                "--min-port=49152", "--max-port=49999"));
        command.addAll(auth);
        command.addAll(List.of("--realm=rtcat.test", "--no-tls", "--no-dtls", "--no-cli", "--log-file=stdout",
                "--simple-log", "--pidfile=" + log + ".pid"));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Coturn coturn = new Coturn(p, log, port);
        coturn.awaitListening();
        return coturn;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("coturn exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("coturn did not listen on " + HOST + ":" + port + " within 10 s");
    }

    public String turnUrl(String transport) {
        return "turn:" + USER + ":" + PASS + "@" + HOST + ":" + port + "?transport=" + transport;
    }

    public String stunUrl() {
        return "stun:" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
