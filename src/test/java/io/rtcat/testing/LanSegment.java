package io.rtcat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Hosts on one Ethernet segment, as on a home or office LAN: network namespaces {@code P-h1..hN}, each with
 * {@code eth0} 10.77.0.(10+i)/24 on a bridge in {@code P-sw}. No default route anywhere, so nothing leaves the
 * segment. {@link #lonely} adds a namespace with only loopback (a machine with no network at all).
 */
public final class LanSegment implements AutoCloseable {

    private static final Set<LanSegment> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(LanSegment::close), "lan-segment-down"));
    }

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();

    private LanSegment(String prefix) {
        this.prefix = prefix;
    }

    /** Builds the segment; skips the test outside CI (fails it in CI) when namespaces cannot be made here. */
    public static LanSegment up(String prefix, int hosts) throws IOException, InterruptedException {
        LanSegment s = new LanSegment(prefix);
        OPEN.add(s);
        StringBuilder script = new StringBuilder("set -e\n");
        String sw = prefix + "-sw";
        script.append("ip netns add ").append(sw).append('\n');
        script.append("ip -n ").append(sw).append(" link add br0 type bridge\n");
        script.append("ip -n ").append(sw).append(" link set br0 up\n");
        s.namespaces.add(sw);
        for (int i = 1; i <= hosts; i++) {
            String h = s.host(i);
            s.namespaces.add(h);
            script.append("ip netns add ").append(h).append('\n')
                    .append("ip -n ").append(sw).append(" link add p").append(i).append(" type veth peer name eth0 netns ")
                    .append(h).append('\n')
                    .append("ip -n ").append(sw).append(" link set p").append(i).append(" master br0 up\n")
                    .append("ip -n ").append(h).append(" addr add ").append(s.address(i)).append("/24 dev eth0\n")
                    .append("ip -n ").append(h).append(" link set eth0 up\n")
                    .append("ip -n ").append(h).append(" link set lo up\n");
        }
        s.run(script.toString());
        return s;
    }

    /** A namespace with nothing but loopback: no LAN, no route. */
    public String lonely() throws IOException, InterruptedException {
        String n = prefix + "-alone";
        namespaces.add(n);
        run("set -e\nip netns add " + n + "\nip -n " + n + " link set lo up\n");
        return n;
    }

    public String host(int i) {
        return prefix + "-h" + i;
    }

    public String address(int i) {
        return "10.77.0." + (10 + i);
    }

    /** Starts {@code command} in namespace {@code ns} (ip netns exec) with {@code env} added. */
    public NetlabProcess exec(String ns, String name, List<String> command, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        return NetlabProcess.start(name + "@" + ns, cmd, env);
    }

    private void run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done || p.exitValue() != 0) {
            p.destroyForcibly();
            close();
            if (out.contains("Operation not permitted") || out.contains("Permission denied")) {
                NetlabLab.unavailable("cannot create network namespaces: " + out.strip());
            }
            Assertions.fail("building the LAN segment failed: " + out);
        }
    }

    /** Ends every process in the namespaces and deletes them. Never throws. */
    @Override
    public void close() {
        if (!OPEN.remove(this)) {
            return;
        }
        StringBuilder script = new StringBuilder();
        for (String ns : namespaces) {
            script.append("ip netns pids ").append(ns).append(" 2>/dev/null | xargs -r kill -9 2>/dev/null\n");
            script.append("ip netns del ").append(ns).append(" 2>/dev/null\n");
        }
        try {
            Process p = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.err.println("[lan-segment] cleanup of " + prefix + " failed: " + e);
        }
    }
}
