package io.rtcat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.json.Mappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the netlab ITs of the commands share (DoctorNetlabIT, ProbeNetlabIT, CheckNetlabIT, TrackerNetlabIT): the
 * lab's coturn addresses, a private copy of the jar and the real JDK's java, one lab at a time per test class
 * ({@link #up} in the test, downed after each), and the command lines that run rtcat in a site. A JUnit extension:
 * {@code @RegisterExtension static final NetlabSites SITES = new NetlabSites("tag");}
 *
 * <p>Labs are named {@code TAG<n>_<pid>}, so the set-up before all tests can down the leftovers of a killed run of
 * the same class.
 */
public final class NetlabSites implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    /** coturn's STUN/TURN on the lab's public net, and its RFC 5780 alternate on an address of its own. */
    public static final String STUN = "stun:" + NetlabLab.TURN_IP + ":" + NetlabLab.TURN_PORT;
    public static final String STUN_ALTERNATE = "stun:203.0.113.3:3479";
    public static final String TURN_UDP = "turn:user:pass@" + NetlabLab.TURN_IP + ":" + NetlabLab.TURN_PORT;
    public static final String TURN_TCP = TURN_UDP + "?transport=tcp";

    private static final long PID = ProcessHandle.current().pid();

    private final String tag;
    private final String java = NetlabLab.javaBinary();
    private Path jarDir;
    private Path jar;
    private NetlabLab lab;

    /** {@code tag}: this test class's lab names start with it (two letters, unique among the netlab ITs). */
    public NetlabSites(String tag) {
        this.tag = tag;
    }

    /** Copies the jar and downs stale labs of this class's tag. */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        jarDir = Files.createTempDirectory("netlab-" + tag + "-");
        jar = NetlabLab.privateJar(jarDir);
        NetlabLab.downStale(Pattern.compile("(" + Pattern.quote(tag) + "[0-9]_([0-9]+))"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        down();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (jarDir != null) {
            try (Stream<Path> files = Files.walk(jarDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Builds lab number {@code n} of this class (see {@link NetlabLab#up}); it is the one {@link #lab()}. */
    public NetlabLab up(int n, String natA, String natB) throws IOException, InterruptedException {
        lab = NetlabLab.up(tag + n + "_" + PID, natA, natB);
        return lab;
    }

    public NetlabLab lab() {
        return lab;
    }

    /** Downs the lab if one is up (after each test; a test may call it earlier). */
    public void down() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    /** {@code java -jar rtcat.jar ARGS} with the JVM's default options. */
    public List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** rtcat with ARGS as the launchers run it (serial GC, 256 MiB heap). */
    public List<String> rtcat(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code command} in {@code site} of the current lab. */
    public NetlabProcess exec(String site, String name, List<String> command, Map<String, String> env)
            throws IOException {
        return lab.exec(site, name, command, env);
    }

    /** A process's --json document, or an empty object when it printed none (the assertions then say why). */
    public static JsonNode jsonOrEmpty(String stdout) {
        try {
            JsonNode n = Mappers.JSON.readTree(stdout);
            return n == null ? Mappers.JSON.createObjectNode() : n;
        } catch (IOException e) {
            return Mappers.JSON.createObjectNode();
        }
    }
}
