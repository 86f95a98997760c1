package io.rtcat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One running netlab (../shared/netlab/netlab.sh): NAT'd sites a and b, a public net and coturn, all in network
 * namespaces named {@code PREFIX-*}. {@link #close()} runs {@code netlab.sh down}, which also ends every process
 * still running in the lab's namespaces. A JVM shutdown hook downs labs a test could not close.
 *
 * <p>netlab exits 77 when the machine can't run it (no root, no netns...). Then {@link #up} skips the test, or
 * fails it when {@code CI=true}: CI machines must be able to run the lab.
 */
public final class NetlabLab implements AutoCloseable {

    public static final int EXIT_SKIP = 77;
    public static final String TURN_IP = "203.0.113.2";
    public static final int TURN_PORT = 3478;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<NetlabLab> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetlabLab::close), "netlab-down"));
    }

    private final Path script;
    private final String prefix;
    private final String natA;
    private final String natB;

    private NetlabLab(Path script, String prefix, String natA, String natB) {
        this.script = script;
        this.prefix = prefix;
        this.natA = natA;
        this.natB = natB;
    }

    /** The result of one netlab.sh command. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** netlab.sh: {@code -Dnetlab.script}, else {@code ${rtcat.root}/../shared/netlab/netlab.sh}. */
    public static Path script() {
        String explicit = System.getProperty("netlab.script");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("rtcat.root", ".")).toAbsolutePath().resolve("../shared/netlab/netlab.sh")
                .normalize();
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test outside CI, fails it in CI. Never returns. */
    public static void unavailable(String why) {
        if (inCi()) {
            Assertions.fail("netlab cannot run on this CI machine (CI=true, so this is a failure): " + why);
        }
        Assumptions.abort("netlab cannot run here: " + why);
    }

    /** Builds a lab ({@code up --prefix P --nat-a A --nat-b B}); skips/fails the test if the machine can't. */
    public static NetlabLab up(String prefix, String natA, String natB) throws IOException, InterruptedException {
        Path script = script();
        if (!Files.isRegularFile(script)) {
            unavailable("netlab.sh not found at " + script + " (set -Dnetlab.script or -Drtcat.root)");
        }
        NetlabLab lab = new NetlabLab(script, prefix, natA, natB);
        lab.run(60, "down"); // stale state of an earlier run with this prefix
        OPEN.add(lab);
        Result up = lab.run(120, "up", "--nat-a", natA, "--nat-b", natB);
        if (up.exitCode() != 0) {
            lab.close();
            if (up.exitCode() == EXIT_SKIP) {
                unavailable("'netlab.sh up' exited 77: " + up.stderr().strip());
            }
            Assertions.fail("'netlab.sh up --prefix " + prefix + "' failed: " + up);
        }
        return lab;
    }

    /**
     * Downs labs whose namespace {@code X-pub} matches {@code prefixRegex} (group 1 = prefix, group 2 = the pid of
     * the JVM that made it) when that JVM is gone: leftovers of a killed test run.
     */
    public static void downStale(Pattern prefixRegex) throws InterruptedException {
        Path script = script();
        Path netns = Path.of("/run/netns");
        if (!Files.isRegularFile(script) || !Files.isDirectory(netns)) {
            return;
        }
        List<String> stale = new ArrayList<>();
        try (Stream<Path> names = Files.list(netns)) {
            names.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-pub")).forEach(n -> {
                Matcher m = prefixRegex.matcher(n.substring(0, n.length() - "-pub".length()));
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                    stale.add(m.group(1));
                }
            });
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (String p : stale) {
            try {
                new NetlabLab(script, p, "?", "?").run(60, "down");
            } catch (IOException | AssertionError e) {
                System.err.println("[netlab] could not down stale lab " + p + ": " + e);
            }
        }
    }

    public String prefix() {
        return prefix;
    }

    public String describe() {
        return prefix + " (nat-a=" + natA + ", nat-b=" + natB + ")";
    }

    /** Runs {@code netlab.sh --prefix P ARGS...} with a bounded wait. */
    public Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "--prefix", prefix));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        File out = File.createTempFile("netlab-" + prefix + "-", ".out");
        File err = File.createTempFile("netlab-" + prefix + "-", ".err");
        try {
            pb.redirectOutput(out).redirectError(err);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroy(); // netlab traps TERM and tears down what 'up' built
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                throw new AssertionError("netlab.sh " + String.join(" ", args) + " (prefix " + prefix
                        + ") did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    /** Runs a netlab.sh command that must succeed. */
    public Result check(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Result r = run(timeoutSeconds, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("netlab.sh --prefix " + prefix + " " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    /** {@code netem SITE ARGS...} (e.g. {@code --loss 5 --delay 100}). */
    public Result netem(String site, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("netem", site));
        all.addAll(List.of(args));
        return check(60, all.toArray(String[]::new));
    }

    /** The lab's {@code info} JSON. */
    public JsonNode info() throws IOException, InterruptedException {
        return JSON.readTree(check(30, "info").stdout());
    }

    /** Starts {@code netlab.sh exec SITE -- COMMAND...} (ip netns exec: it becomes COMMAND, same environment). */
    public NetlabProcess exec(String site, String name, List<String> command, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "--prefix", prefix, "exec", site, "--"));
        cmd.addAll(command);
        return NetlabProcess.start(name + "@" + prefix + "-" + site, cmd, env);
    }

    /** {@code netlab.sh down}: ends every process in the lab's namespaces, deletes them. Never throws. */
    @Override
    public void close() {
        if (!OPEN.remove(this)) {
            return; // already down
        }
        boolean interrupted = Thread.interrupted(); // a JUnit timeout must not stop the teardown
        try {
            Result r = run(90, "down");
            if (r.exitCode() != 0) {
                System.err.println("[netlab] 'down --prefix " + prefix + "' failed: " + r);
            }
        } catch (IOException | InterruptedException | AssertionError e) {
            System.err.println("[netlab] 'down --prefix " + prefix + "' failed: " + e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A private copy of the shaded jar for lab processes: a concurrent {@code mvn package} must not swap the
     * jar under running JVMs.
     */
    public static Path privateJar(Path dir) throws java.io.IOException {
        Path built = Path.of(System.getProperty("rtcat.jar", "target/rtcat.jar")).toAbsolutePath();
        org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(built),
                "build the jar first (mvn -DskipTests package): " + built);
        return Files.copy(built, dir.resolve("rtcat.jar"));
    }

    /** The real JDK's java: RTCAT_REAL_JAVA (set by scripts/test), else this JVM's own. */
    public static String javaBinary() {
        String real = System.getenv("RTCAT_REAL_JAVA");
        return real != null && !real.isBlank() ? real
                : System.getProperty("java.home") + java.io.File.separator + "bin" + java.io.File.separator + "java";
    }
}
