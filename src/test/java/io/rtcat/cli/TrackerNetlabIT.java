package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.NetlabLab;
import io.rtcat.testing.NetlabProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A code is all it takes, across two NATs: `rtcat send F` in netlab site a, `rtcat receive CODE` in site b, with
 * nothing but RTCAT_TRACKERS (the reference WebTorrent tracker on the lab's "internet", standing in for the public
 * ones) and RTCAT_ICE or a config file (the lab's coturn). Neither side can reach the other's embedded signaling
 * server or LAN announcement, so the tracker is the only way they can meet.
 */
class TrackerNetlabIT {

    private static final String TRACKER_IP = "203.0.113.1";
    private static final String TRACKER = "ws://" + TRACKER_IP + ":8000/";
    private static final String STUN = "stun:" + NetlabLab.TURN_IP + ":" + NetlabLab.TURN_PORT;
    private static final String TURN = "turn:user:pass@" + NetlabLab.TURN_IP + ":" + NetlabLab.TURN_PORT;
    private static final Pattern CODE = Pattern.compile("rtcat receive (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    static Path work;
    private static Path jar;
    private static String java;
    private NetlabLab lab;

    @BeforeAll
    static void prepare() throws Exception {
        jar = NetlabLab.privateJar(work);
        java = NetlabLab.javaBinary();
        NetlabLab.downStale(Pattern.compile("(tk[0-9]_([0-9]+))"));
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void coneToConeMeetsThroughTheTrackerAndGoesDirect() throws Exception {
        lab = NetlabLab.up("tk1_" + PID, "cone", "cone");
        Path config = configDir("");
        Run run = transfer(Map.of("RTCAT_ICE", STUN), config);
        run.assertByteIdentical();
        for (JsonNode c : List.of(run.sendJson.path("connection"), run.recvJson.path("connection"))) {
            assertEquals("direct", c.path("path").asText(), run.toString());
            assertTrue(Set.of("srflx", "prflx").contains(c.path("local_candidate").path("type").asText())
                    || Set.of("srflx", "prflx").contains(c.path("remote_candidate").path("type").asText()),
                    "through the NATs via a STUN-mapped address\n" + run);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void symmetricToSymmetricRelaysThroughTheTurnServerFromTheConfigFile() throws Exception {
        lab = NetlabLab.up("tk2_" + PID, "symmetric", "symmetric");
        Path config = configDir("ice = " + STUN + ", " + TURN + "\n");
        Run run = transfer(Map.of(), config);
        run.assertByteIdentical();
        for (JsonNode c : List.of(run.sendJson.path("connection"), run.recvJson.path("connection"))) {
            assertEquals("relay", c.path("path").asText(), run.toString());
        }
    }

    /** XDG_CONFIG_HOME with rtcat/config holding {@code text}, so no config of the machine's user counts. */
    private static Path configDir(String text) throws IOException {
        Path dir = Files.createTempDirectory(work, "xdg-");
        Files.createDirectories(dir.resolve("rtcat"));
        Files.writeString(dir.resolve("rtcat/config"), text);
        return dir;
    }

    private Run transfer(Map<String, String> ice, Path config) throws Exception {
        Path in = Files.createTempDirectory(work, "in-");
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Path file = Files.write(in.resolve("across.bin"), data);
        Path out = Files.createTempDirectory(work, "out-");
        Map<String, String> env = new HashMap<>(ice);
        env.put("RTCAT_TRACKERS", TRACKER);
        env.put("XDG_CONFIG_HOME", config.toString());
        NetlabProcess tracker = null;
        NetlabProcess send = null;
        NetlabProcess recv = null;
        try {
            tracker = lab.exec("public", "tracker", List.of("/usr/bin/node",
                    Path.of("src/test/tracker/server.mjs").toAbsolutePath().toString(), TRACKER_IP, "8000"), Map.of());
            tracker.awaitStdout("(listening)", 30);
            send = lab.exec("a", "send", rtcat("send", file.toString(), "--json", "--timeout", "60", "-v"), env);
            String code = send.awaitStderr(CODE.pattern(), 60);
            recv = lab.exec("b", "receive", rtcat("receive", code, "--out", out.toString(), "--yes", "--json",
                    "--timeout", "60", "-v"), env);
            int recvExit = recv.await(90);
            int sendExit = send.await(30);
            return new Run(file, out.resolve("across.bin"), sendExit, recvExit, send, recv, tracker);
        } finally {
            for (NetlabProcess p : new NetlabProcess[] {send, recv, tracker}) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    private static List<String> rtcat(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Run(Path sent, Path received, int sendExit, int recvExit, NetlabProcess send, NetlabProcess recv,
            NetlabProcess tracker, JsonNode sendJson, JsonNode recvJson) {

        Run(Path sent, Path received, int sendExit, int recvExit, NetlabProcess send, NetlabProcess recv,
                NetlabProcess tracker) {
            this(sent, received, sendExit, recvExit, send, recv, tracker, json(send), json(recv));
        }

        private static JsonNode json(NetlabProcess p) {
            try {
                JsonNode n = JSON.readTree(p.stdout());
                return n == null ? JSON.createObjectNode() : n;
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        void assertByteIdentical() throws IOException {
            assertEquals(0, sendExit, "sender failed\n" + this);
            assertEquals(0, recvExit, "receiver failed\n" + this);
            assertTrue(Files.isRegularFile(received), "nothing received\n" + this);
            assertEquals(-1L, Files.mismatch(sent, received), "received file differs\n" + this);
            assertTrue(recv.stderr().contains("via tracker " + TRACKER) || send.stderr().contains("via tracker "
                    + TRACKER), "met through the tracker\n" + this);
            JsonNode c = recvJson.path("connection");
            System.out.printf("[TrackerNetlabIT] %s %s -> %s; receiver connect %s ms, wall %.1f s%n",
                    c.path("path").asText(), c.path("local_candidate").path("type").asText(),
                    c.path("remote_candidate").path("type").asText(), recvJson.path("connect_ms").asText("?"),
                    recv.seconds());
        }

        @Override
        public String toString() {
            return "sender exit " + sendExit + ", receiver exit " + recvExit + "\n" + send + "\n" + recv
                    + "\n--- tracker\n" + tracker;
        }
    }
}
