package io.rtcat.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference WebTorrent tracker (npm {@code bittorrent-tracker}, pinned in src/test/tracker, installed by
 * {@code scripts/install-deps --test}) on a real socket, for one test class. Start it inside a namespace (the
 * failsafe JVMs already run in one). With {@code CI=true} a missing node or tracker fails instead of skipping.
 */
public final class TrackerServer implements AutoCloseable {

    /** How the tracker treats what it relays. */
    public enum Mode {
        HONEST(List.of()),
        DROPS_ANSWERS(List.of("--drop-answers")),
        FLIPS_FINGERPRINTS(List.of("--flip-fingerprints"));

        private final List<String> flags;

        Mode(List<String> flags) {
            this.flags = flags;
        }
    }

    private static final Path DIR = Path.of("src/test/tracker").toAbsolutePath();

    private final Process process;
    private final URI uri;

    private TrackerServer(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    public static TrackerServer start(String host, Mode mode) throws Exception {
        return start(host, 0, mode);
    }

    /** On {@code port} (0: any free one), e.g. to stand in for a tracker that restarted. */
    public static TrackerServer start(String host, int port, Mode mode) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean installed = Files.isDirectory(DIR.resolve("node_modules/bittorrent-tracker"))
                && Files.isExecutable(Path.of("/usr/bin/node"));
        if (!installed) {
            String why = "the reference tracker is not installed (scripts/install-deps --test installs it)";
            if (ci) {
                throw new AssertionError(why);
            }
            assumeTrue(false, why);
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/node", DIR.resolve("server.mjs").toString(), host,
                Integer.toString(port)));
        command.addAll(mode.flags);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = r.readLine();
                return line;
            } catch (Exception e) {
                return null;
            }
        });
        String line;
        try {
            line = listening.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("the tracker did not start within 20 s", e);
        }
        if (line == null || !line.startsWith("listening ")) {
            p.destroyForcibly();
            throw new AssertionError("the tracker did not start: " + line);
        }
        return new TrackerServer(p, URI.create("ws://" + line.substring("listening ".length()) + "/"));
    }

    public URI uri() {
        return uri;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
