package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.NetlabLab;
import io.rtcat.testing.NetlabProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * rtcat through real NATs: sender in netlab site a, receiver in site b, signaling server and coturn on the lab's
 * "internet" (see ../shared/netlab/README.md). Each test builds its own lab (prefix rtN_PID, so two test runs on
 * one machine don't collide) and tears it down afterwards, which also ends any rtcat process left in it.
 *
 * <p>The test JVM runs in a private network namespace (scripts/netns-run); netlab still works from there because
 * named namespaces are mounts under /run/netns, shared with the host's mount namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatTraversalIT {

    private static final String TURN_IP = NetlabLab.TURN_IP;
    private static final String SIGNAL_URL = "ws://" + TURN_IP + ":8765/";
    private static final String STUN = "stun:" + TURN_IP + ":" + NetlabLab.TURN_PORT;
    private static final String TURN_UDP = "turn:user:pass@" + TURN_IP + ":" + NetlabLab.TURN_PORT;
    private static final String TURN_TCP = TURN_UDP + "?transport=tcp";
    private static final String CODE = "5-alpha-bravo";
    private static final Set<String> NON_RELAY = Set.of("host", "srflx", "prflx");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    static Path work;
    private static Path jar;
    private static String java;

    private NetlabLab lab;
    private Map<String, String> sendEnv = Map.of();

    @BeforeAll
    static void prepare() throws Exception {
        jar = NetlabLab.privateJar(work);
        java = NetlabLab.javaBinary();
        // Labs left by a killed earlier run of this class (their JVM is gone).
        NetlabLab.downStale(Pattern.compile("(rt[0-9]_([0-9]+))"));
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    private NetlabLab up(int n, String natA, String natB) throws Exception {
        lab = NetlabLab.up("rt" + n + "_" + PID, natA, natB);
        return lab;
    }

    @Test
    @Order(1)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void coneToConeWithStunAndTurnConnectsDirectly() throws Exception {
        up(1, "cone", "cone");
        Path file = randomFile("cone-2MiB.bin", 2 << 20);
        List<String> ice = List.of(STUN, TURN_UDP);

        Transfer t = transfer(file, ice, ice, 60, 75);

        t.assertByteIdentical();
        for (Side s : List.of(t.send, t.recv)) {
            JsonNode c = s.connection();
            assertEquals("direct", c.path("path").asText(), s.name + ": cone/cone must not need the relay\n" + t);
            assertTrue(NON_RELAY.contains(c.path("local_candidate").path("type").asText()), s.name + "\n" + t);
            assertTrue(NON_RELAY.contains(c.path("remote_candidate").path("type").asText()), s.name + "\n" + t);
        }
        report("cone/cone stun+turn", t);
    }

    @Test
    @Order(2)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void symmetricToSymmetricNeedsTheRelay() throws Exception {
        up(2, "symmetric", "symmetric");
        Path file = randomFile("symmetric-2MiB.bin", 2 << 20);
        List<String> ice = List.of(STUN, TURN_UDP);

        Transfer t = transfer(file, ice, ice, 60, 75);

        t.assertByteIdentical();
        for (Side s : List.of(t.send, t.recv)) {
            JsonNode c = s.connection();
            assertEquals("relay", c.path("path").asText(), s.name + ": symmetric/symmetric can't go direct\n" + t);
            assertTrue("relay".equals(c.path("local_candidate").path("type").asText())
                    || "relay".equals(c.path("remote_candidate").path("type").asText()), s.name + "\n" + t);
        }
        report("symmetric/symmetric stun+turn", t);
    }

    @Test
    @Order(3)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void coneToConeSurvivesLossAndDelay() throws Exception {
        up(3, "cone", "cone");
        lab.netem("a", "--loss", "5", "--delay", "100");
        JsonNode impairment = lab.info().path("sites").path("a").path("impairment");
        assertEquals(5, impairment.path("loss_pct").asInt(), impairment.toString());
        assertEquals(100, impairment.path("delay_ms").asInt(), impairment.toString());
        // 1 MiB: at ~200 ms RTT and ~10 % round-trip loss the SCTP stream moves roughly 30 KB/s here, so 1 MiB
        // takes about 35 s.
        Path file = randomFile("netem-1MiB.bin", 1 << 20);
        List<String> ice = List.of(STUN, TURN_UDP);

        Transfer t = transfer(file, ice, ice, 60, 75);
        if (t.neverConnected()) {
            // Seen once in seven runs: ICE/DTLS set-up under this loss did not complete within the timeout.
            // A user would run the command again; so does the test, once, and says so. The transfer itself
            // must still succeed under loss and delay.
            System.out.println("[NatTraversalIT] WARNING: connection set-up under 5% loss timed out; retrying once\n"
                    + t);
            t = transfer(file, ice, ice, 90, 100);
        }
        t.assertByteIdentical();
        JsonNode rtt = t.send.connection().path("ice_rtt_ms");
        if (rtt.isNumber()) {
            assertTrue(rtt.asDouble() >= 100, "the impairment should show in the RTT (2 x 100 ms)\n" + t);
        }
        report("cone/cone stun+turn, a: loss 5% delay 100 ms (" + impairment.path("impl").asText() + ")", t);
    }

    @Test
    @Order(4)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void blockedUdpSiteRelaysOverTurnTcp() throws Exception {
        up(4, "block-udp", "cone");
        Path file = randomFile("block-udp-1MiB.bin", 1 << 20);

        Transfer t = transfer(file, List.of(STUN, TURN_TCP), List.of(STUN, TURN_UDP), 60, 75);

        t.assertByteIdentical();
        JsonNode a = t.send.connection();
        assertEquals("relay", a.path("path").asText(), t.toString());
        assertEquals("relay", a.path("local_candidate").path("type").asText(), t.toString());
        assertEquals("tcp", a.path("local_candidate").path("relay_protocol").asText(), t.toString());
        assertEquals("relay", t.recv.connection().path("path").asText(), t.toString());
        report("block-udp/cone, a: stun + turn tcp", t);
    }

    /**
     * 100 ms RTT, one stream, RTCAT_PACING=1: the sender paces (its report says so, with the path's RTT) and
     * both sides raised libwebrtc's UDP receive buffers as far as net.core.rmem_max allows; the file arrives
     * byte-identical. Kernel drops are reported, not asserted: on a loaded machine the receiving thread can
     * still fall behind.
     */
    @Test
    @Order(5)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aPacedTransferOverADelayedPathArrivesIntact() throws Exception {
        up(5, "cone", "cone");
        lab.netem("a", "--delay", "50");
        Path file = randomFile("paced-8MiB.bin", 8 << 20);
        List<String> ice = List.of(STUN);
        // (global, not per namespace, and read-only from the test's namespace)
        // (readAllLines: procfs files report size 0, and JDK 17 readString then returns one byte)
        long rmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
        long rmemDefault = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_default")).get(0)
                .trim());
        sendEnv = Map.of("RTCAT_PACING", "1");
        Transfer t = transfer(file, ice, ice, 120, 150, List.of("--streams", "1"));
        t.assertByteIdentical();
        JsonNode pacing = t.send.json.path("pacing");
        assertTrue(pacing.path("active").asBoolean(), "the sender paced a 100 ms path\n" + t);
        assertTrue(pacing.path("min_rtt_ms").asDouble() >= 90, "with the path's RTT\n" + t);
        assertTrue(pacing.path("bottleneck_bytes_per_second").asLong() > 0, t.toString());
        assertTrue(t.send.process.stdout().contains("\"pacing\""), t.toString());
        if (rmemMax > rmemDefault) {
            // The kernel reports twice what was asked for (its bookkeeping overhead).
            assertEquals(2 * Math.min(rmemMax, 8 << 20), pacing.path("udp_receive_buffer_bytes").asLong(),
                    "libwebrtc's sockets were raised to rmem_max\n" + t);
        }
        boolean warned = t.recv.process.stderr().contains("rtcat: warning: the kernel dropped");
        report("cone/cone, a: delay 50 ms each way, paced (" + pacing + "), receive-buffer drop warning: " + warned,
                t);
    }

    /**
     * On a long lossy path one SCTP association is loss-bound, and the RTT alone does not show the loss: auto
     * measures it first (a loss probe on the main channel) and stripes over four times as many connections as
     * the RTT rule alone would.
     */
    @Test
    @Order(6)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void onALossyLongPathAutoMeasuresTheLossAndStripesWider() throws Exception {
        up(6, "cone", "cone");
        lab.netem("a", "--loss", "3", "--delay", "20");
        Path file = randomFile("lossy-2MiB.bin", 2 << 20);
        List<String> ice = List.of(STUN);
        sendEnv = Map.of("RTCAT_LOSS_PROBE", "1"); // a probe whatever the size (64 MiB and up otherwise)
        Transfer t = transfer(file, ice, ice, 120, 150);
        t.assertByteIdentical();
        JsonNode streams = t.send.json.path("streams");
        JsonNode probe = streams.path("loss_probe");
        assertTrue(probe.path("packets_lost").asLong() >= 2 && probe.path("loss_percent").asDouble() >= 1,
                "3% loss each way shows in the probe\n" + t);
        assertTrue(probe.path("packets_sent").asLong() >= probe.path("packets_lost").asLong() * 10, t.toString());
        int byRtt = (int) Math.ceil(t.send.connection().path("ice_rtt_ms").asDouble() / 15);
        assertTrue(streams.path("count").asInt() > byRtt,
                "more stripes than the RTT rule's " + byRtt + " (" + streams + ")\n" + t);
        assertTrue(streams.path("reason").asText().contains("on a lossy path"), streams.toString());
        assertEquals(streams.path("count").asInt(), t.recv.json.path("streams").path("count").asInt(),
                "the receiver set up what the sender chose after its probe\n" + t);
        report("cone/cone, a: loss 3% delay 20 ms each way, auto after a loss probe (" + streams.path("count")
                + " streams, " + probe + ")", t);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(name.hashCode()).nextBytes(data);
        Path dir = Files.createTempDirectory(work, "in-");
        return Files.write(dir.resolve(name), data);
    }

    private static List<String> rtcat(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> withIce(List<String> cmd, List<String> ice) {
        List<String> all = new ArrayList<>(cmd);
        ice.forEach(url -> all.addAll(List.of("--ice", url)));
        return all;
    }

    /**
     * Signaling server in the turn namespace, receiver in b, sender in a; waits for both to exit (at most
     * {@code waitSeconds}) and ends every process it started, whatever happens.
     */
    private Transfer transfer(Path file, List<String> iceA, List<String> iceB, int rtcatTimeout,
            long waitSeconds) throws Exception {
        return transfer(file, iceA, iceB, rtcatTimeout, waitSeconds, List.of());
    }

    private Transfer transfer(Path file, List<String> iceA, List<String> iceB, int rtcatTimeout,
            long waitSeconds, List<String> sendFlags) throws Exception {
        Path out = Files.createTempDirectory(work, "out-");
        String timeout = Integer.toString(rtcatTimeout);
        NetlabProcess signal = null;
        NetlabProcess recv = null;
        NetlabProcess send = null;
        try {
            signal = lab.exec("turn", "signal",
                    rtcat("signal", "--port", "8765", "--bind", TURN_IP, "--json"), Map.of());
            signal.awaitStdout("\"listening\"\\s*:\\s*\"([^\"]+)\"", 30);

            recv = lab.exec("b", "receive", withIce(rtcat("receive", "--signal", SIGNAL_URL, "--out", out.toString(),
                    "--yes", "--json", "--timeout", timeout, "-v"), iceB), Map.of("RTCAT_CODE", CODE));
            List<String> sendCmd = withIce(rtcat("send", file.toString(), "--signal", SIGNAL_URL, "--code", CODE,
                    "--json", "--timeout", timeout, "-v"), iceA);
            sendCmd.addAll(sendFlags);
            send = lab.exec("a", "send", sendCmd, sendEnv);
            // -v shows each handshake step on stderr: the diagnosis when a scenario fails.

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
            int sendExit = send.await(waitSeconds);
            int recvExit = recv.await(Math.max(5, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
            double wall = Math.max(send.seconds(), recv.seconds());
            return new Transfer(file, out.resolve(file.getFileName()), new Side("sender", sendExit, send),
                    new Side("receiver", recvExit, recv), wall, signal.stderr());
        } finally {
            for (NetlabProcess p : new NetlabProcess[] {send, recv, signal}) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    private static void report(String what, Transfer t) {
        System.out.printf("[NatTraversalIT] %s: %s; sender %s, receiver %s; rtt %s ms; %d bytes in %.2f s "
                        + "(%d B/s), connect %s ms; wall %.1f s%n", what, t.send.connection().path("path").asText(),
                t.send.pair(), t.recv.pair(), t.send.connection().path("ice_rtt_ms").asText("?"),
                t.send.json.path("bytes").asLong(), t.recv.json.path("seconds").asDouble(),
                t.recv.json.path("bytes_per_second").asLong(), t.send.json.path("connect_ms").asText("?"), t.wall);
    }

    /** One side's exit code and parsed --json report. */
    private static final class Side {
        final String name;
        final int exit;
        final NetlabProcess process;
        final JsonNode json;

        Side(String name, int exit, NetlabProcess process) {
            this.name = name;
            this.exit = exit;
            this.process = process;
            JsonNode parsed;
            try {
                parsed = JSON.readTree(process.stdout());
            } catch (IOException e) {
                parsed = null;
            }
            this.json = parsed == null ? JSON.createObjectNode() : parsed;
        }

        JsonNode connection() {
            return json.path("connection");
        }

        String pair() {
            return candidate(connection().path("local_candidate")) + " -> "
                    + candidate(connection().path("remote_candidate"));
        }

        private static String candidate(JsonNode c) {
            String s = c.path("type").asText("?");
            if (c.hasNonNull("relay_protocol")) {
                s += "/" + c.path("relay_protocol").asText();
            }
            return s + " " + c.path("address").asText("?") + ":" + c.path("port").asText("?");
        }
    }

    private static final class Transfer {
        final Path sent;
        final Path received;
        final Side send;
        final Side recv;
        final double wall;
        final String signalLog;

        /** Neither side got as far as moving data: the receiver gave up while connecting. */
        boolean neverConnected() {
            return send.exit != 0 && recv.exit != 0
                    && recv.process.stderr().contains("timed out connecting to the peer");
        }

        Transfer(Path sent, Path received, Side send, Side recv, double wall, String signalLog) {
            this.sent = sent;
            this.received = received;
            this.send = send;
            this.recv = recv;
            this.wall = wall;
            this.signalLog = signalLog;
        }

        void assertByteIdentical() throws IOException {
            assertEquals(0, send.exit, "sender failed\n" + this);
            assertEquals(0, recv.exit, "receiver failed\n" + this);
            long size = Files.size(sent);
            assertEquals(size, send.json.path("bytes").asLong(), this.toString());
            assertEquals(size, recv.json.path("bytes").asLong(), this.toString());
            assertTrue(recv.json.path("files").path(0).path("verified").asBoolean(), this.toString());
            assertTrue(Files.isRegularFile(received), "no " + received + "\n" + this);
            assertEquals(-1L, Files.mismatch(sent, received), "received file differs\n" + this);
            assertNotNull(send.connection().get("path"), this.toString());
        }

        @Override
        public String toString() {
            return "sender exit " + send.exit + ", receiver exit " + recv.exit + ", wall " + String.format("%.1f", wall)
                    + " s\n" + send.process + "\n" + recv.process + "\n--- signal server stderr\n" + signalLog;
        }
    }
}
