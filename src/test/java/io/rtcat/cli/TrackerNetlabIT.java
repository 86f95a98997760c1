package io.rtcat.cli;

import static io.rtcat.testing.NetlabSites.STUN;
import static io.rtcat.testing.NetlabSites.TURN_UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.testing.NetlabProcess;
import io.rtcat.testing.NetlabSites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    private static final Pattern CODE = Pattern.compile("rtcat receive (\\S+)");

    @RegisterExtension
    static final NetlabSites SITES = new NetlabSites("tk");

    @TempDir
    static Path work;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void coneToConeMeetsThroughTheTrackerAndGoesDirect() throws Exception {
        SITES.up(1, "cone", "cone");
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
        SITES.up(2, "symmetric", "symmetric");
        Path config = configDir("ice = " + STUN + ", " + TURN_UDP + "\n");
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
            tracker = SITES.exec("public", "tracker", List.of("/usr/bin/node",
                    Path.of("src/test/tracker/server.mjs").toAbsolutePath().toString(), TRACKER_IP, "8000"), Map.of());
            tracker.awaitStdout("(listening)", 30);
            send = SITES.exec("a", "send", SITES.rtcat("send", file.toString(), "--json", "--timeout", "60", "-v"),
                    env);
            String code = send.awaitStderr(CODE.pattern(), 60);
            recv = SITES.exec("b", "receive", SITES.rtcat("receive", code, "--out", out.toString(), "--yes",
                    "--json", "--timeout", "60", "-v"), env);
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

    private record Run(Path sent, Path received, int sendExit, int recvExit, NetlabProcess send, NetlabProcess recv,
            NetlabProcess tracker, JsonNode sendJson, JsonNode recvJson) {

        Run(Path sent, Path received, int sendExit, int recvExit, NetlabProcess send, NetlabProcess recv,
                NetlabProcess tracker) {
            this(sent, received, sendExit, recvExit, send, recv, tracker, NetlabSites.jsonOrEmpty(send.stdout()),
                    NetlabSites.jsonOrEmpty(recv.stdout()));
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
