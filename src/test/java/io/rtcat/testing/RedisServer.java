package io.rtcat.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for one test, on a free loopback port, without persistence (a restart comes back
 * empty, like a crashed cache). With {@code CI=true} a missing redis-server fails the test instead of
 * skipping it.
 */
public final class RedisServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /** Starts on a free port (probed, then retried if someone took it meanwhile). */
    public static RedisServer start() throws Exception {
        if (!Files.isExecutable(BINARY)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("redis-server is not installed (scripts/install-deps --test installs it)");
            }
            assumeTrue(false, "redis-server not installed");
        }
        AssertionError last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            RedisServer r = new RedisServer(freePort(), Files.createTempFile("redis", ".log"));
            try {
                r.startAgain();
                return r;
            } catch (AssertionError e) {
                last = e;
                r.close();
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    /** Starts (again) on the same port, empty; waits until it answers PING. */
    public void startAgain() throws Exception {
        process = new ProcessBuilder(List.of(BINARY.toString(), "--port", String.valueOf(port), "--bind", HOST,
                "--save", "", "--appendonly", "no", "--protected-mode", "no"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited: " + Files.readString(log));
            }
            if (ping()) {
                return;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("redis-server did not answer on " + HOST + ":" + port + " within 10 s");
    }

    /** Kills it at once (SIGKILL): clients see their connections drop. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[7];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://" + HOST + ":" + port + "/0";
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        Files.deleteIfExists(log);
    }
}
