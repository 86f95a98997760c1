package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.testing.LanSegment;
import io.rtcat.testing.NetlabLab;
import io.rtcat.testing.NetlabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `rtcat receive CODE` with no address on a real LAN segment: three hosts (network namespaces on one bridge),
 * LAN discovery by multicast, the sender's embedded signaling server, the PAKE. Nothing is configured (an empty
 * config directory) and nothing public is contacted: RTCAT_TRACKERS and RTCAT_ICE are pinned empty, and the
 * namespaces have no route out anyway.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LanRendezvousIT {

    private static final String CODE_LINE = "(?m)^  rtcat receive (\\d+-[a-z]+-[a-z]+)$";

    @TempDir
    static Path tmp;

    static LanSegment lan;
    static Path jar;
    static Map<String, String> env;

    @BeforeAll
    static void up() throws Exception {
        lan = LanSegment.up("lanit" + ProcessHandle.current().pid(), 3);
        jar = NetlabLab.privateJar(tmp);
        Path config = Files.createDirectories(tmp.resolve("empty-config"));
        env = Map.of("RTCAT_TRACKERS", "", "RTCAT_ICE", "", "RTCAT_OFFLINE", "0", "XDG_CONFIG_HOME",
                config.toString());
    }

    @AfterAll
    static void down() {
        if (lan != null) {
            lan.close();
        }
    }

    private static NetlabProcess rtcat(String ns, String name, Map<String, String> extraEnv, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NetlabLab.javaBinary(), "-XX:+UseSerialGC", "-Xmx256m", "-jar",
                jar.toString()));
        cmd.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        return lan.exec(ns, name, cmd, all);
    }

    private static NetlabProcess rtcat(int host, String name, String... args) throws Exception {
        return rtcat(lan.host(host), name, Map.of(), args);
    }

    private static Path file(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(tmp.resolve(name), data);
    }

    private static Path dir(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void theCodeAloneFindsTheSenderOnTheLan() throws Exception {
        Path f = file("lan.bin", 2 * 1024 * 1024 + 7);
        Path out = dir("out-plain");
        try (NetlabProcess send = rtcat(1, "send", "send", f.toString(), "--timeout", "60")) {
            String code = send.awaitStderr(CODE_LINE, 30);
            try (NetlabProcess receive = rtcat(2, "receive", "receive", code, "--out", out.toString(), "--yes")) {
                assertEquals(0, receive.await(90), receive + "\n" + send);
                assertEquals(0, send.await(30), send.toString());
            }
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("lan.bin")));
            assertTrue(send.stderr().contains("--from " + lan.address(1) + ":"), "long form as alternative: " + send);
            assertTrue(Integer.parseInt(code.substring(0, code.indexOf('-'))) <= 999,
                    "no trackers: a short nameplate: " + code);
        }
    }

    @Test
    void twoSendersWithDifferentNameplatesEachReachTheirOwnReceiver() throws Exception {
        Path a = file("a.bin", 300_001);
        Path b = file("b.bin", 300_002);
        Path outA = dir("out-a");
        Path outB = dir("out-b");
        try (NetlabProcess sendA = rtcat(1, "sendA", "send", a.toString(), "--code", "11-amber-anchor");
                NetlabProcess sendB = rtcat(3, "sendB", "send", b.toString(), "--code", "12-bison-bugle")) {
            sendA.awaitStderr(CODE_LINE, 30);
            sendB.awaitStderr(CODE_LINE, 30);
            try (NetlabProcess receiveB = rtcat(2, "receiveB", "receive", "12-bison-bugle", "--out", outB.toString(),
                    "--yes")) {
                assertEquals(0, receiveB.await(90), receiveB + "\n" + sendB);
                assertTrue(receiveB.stderr().contains("via the LAN (" + lan.address(3) + ":"), receiveB.toString());
            }
            assertTrue(sendA.isAlive(), "the other sender was not disturbed: " + sendA);
            try (NetlabProcess receiveA = rtcat(2, "receiveA", "receive", "11-amber-anchor", "--out", outA.toString(),
                    "--yes")) {
                assertEquals(0, receiveA.await(90), receiveA + "\n" + sendA);
            }
            assertEquals(0, sendA.await(30), sendA.toString());
            assertEquals(0, sendB.await(30), sendB.toString());
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(outA.resolve("a.bin")));
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(outB.resolve("b.bin")));
    }

    @Test
    void aStrangerWithTheSameNameplateDoesNotEndTheWait() throws Exception {
        Path mine = file("mine.bin", 200_003);
        Path theirs = file("theirs.bin", 200_004);
        Path out = dir("out-stranger");
        try (NetlabProcess stranger = rtcat(1, "stranger", "send", theirs.toString(), "--code", "21-cherry-comet")) {
            stranger.awaitStderr(CODE_LINE, 30);
            try (NetlabProcess receive = rtcat(lan.host(2), "receive", Map.of(), "receive", "21-daisy-dragon",
                    "--out", out.toString(), "--yes", "--timeout", "90", "-v")) {
                // The receiver finds only the stranger first; their PAKE fails and ends the stranger's send ...
                assertNotEquals(0, stranger.await(60), stranger.toString());
                assertTrue(receive.isAlive(), "... but not the receiver's wait: " + receive);
                try (NetlabProcess send = rtcat(3, "send", "send", mine.toString(), "--code", "21-daisy-dragon")) {
                    assertEquals(0, receive.await(90), receive.toString());
                    assertEquals(0, send.await(30), send.toString());
                }
                assertTrue(receive.stderr().contains("LAN: " + lan.address(1)) && receive.stderr().contains("mismatch"),
                        "the stranger was tried, and its PAKE failed: " + receive);
            }
        }
        assertArrayEquals(Files.readAllBytes(mine), Files.readAllBytes(out.resolve("mine.bin")));
        assertFalse(Files.exists(out.resolve("theirs.bin")));
    }

    @Test
    void anAnnouncementWhoseSenderIsGoneDoesNotEndTheWait() throws Exception {
        Path f = file("after-ghost.bin", 100_005);
        Path out = dir("out-ghost");
        // A sender that went away without a goodbye, its announcement still heard: nothing listens on port 9.
        String ghost = "import socket,time\n"
                + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "s.setsockopt(socket.IPPROTO_IP,socket.IP_MULTICAST_TTL,1)\n"
                + "s.setsockopt(socket.IPPROTO_IP,socket.IP_MULTICAST_IF,socket.inet_aton('" + lan.address(3) + "'))\n"
                + "for i in range(600):\n"
                + "    s.sendto(b'RTCAT1 ANNOUNCE 31 9 0badc0de',('239.255.77.71',47171))\n"
                + "    time.sleep(0.2)\n";
        try (NetlabProcess ghostProcess = lan.exec(lan.host(3), "ghost", List.of("python3", "-c", ghost), Map.of());
                NetlabProcess receive = rtcat(lan.host(2), "receive", Map.of(), "receive", "31-ember-falcon", "--out",
                        out.toString(), "--yes", "--timeout", "90", "-v")) {
            receive.awaitStderr("(LAN: " + lan.address(3).replace(".", "\\.") + ":9: .*)", 60);
            assertTrue(receive.isAlive(), receive.toString());
            try (NetlabProcess send = rtcat(1, "send", "send", f.toString(), "--code", "31-ember-falcon")) {
                assertEquals(0, receive.await(90), receive.toString());
                assertEquals(0, send.await(30), send.toString());
            }
        }
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("after-ghost.bin")));
    }

    @Test
    void checkFindsARespondersCodeOnTheLan() throws Exception {
        try (NetlabProcess respond = rtcat(1, "respond", "respond", "--code", "51-harbor-igloo", "--once")) {
            assertEquals("--code 51-harbor-igloo", respond.awaitStderr("(?m)^  rtcat check (--code \\S+)$", 30),
                    "the code alone is offered first: " + respond);
            try (NetlabProcess check = rtcat(2, "check", "check", "--code", "51-harbor-igloo", "--size", "1M",
                    "--count", "5", "--json")) {
                assertEquals(0, check.await(90), check.toString());
                assertTrue(check.stderr().contains("via the LAN (" + lan.address(1) + ":"), check.toString());
            }
            assertEquals(0, respond.await(30), respond.toString());
        }
    }

    @Test
    void withNoSenderOnTheLanReceiveGivesUpInSecondsNotAtItsTimeout() throws Exception {
        try (NetlabProcess receive = rtcat(lan.host(2), "receive", Map.of(), "receive", "61-iceberg-jungle",
                "--out", tmp.toString(), "--yes", "--timeout", "600")) {
            assertEquals(75, receive.await(60), receive.toString());
            assertTrue(receive.stderr().startsWith("rtcat: nobody on the LAN announced nameplate 61 within 6 s"),
                    receive.toString());
        }
    }

    @Test
    void withTheBuiltInDefaultsAndNoNetworkReceiveFailsAtOnceSayingWhatItTried() throws Exception {
        String alone = lan.lonely();
        // Nothing pinned: the public defaults apply, but this namespace has only loopback, so nothing can leave.
        Map<String, String> defaults = new HashMap<>();
        defaults.put("XDG_CONFIG_HOME", env.get("XDG_CONFIG_HOME"));
        defaults.put("RTCAT_OFFLINE", "0");
        List<String> cmd = List.of(NetlabLab.javaBinary(), "-jar", jar.toString(), "receive", "41-ginger-harp",
                "--out", tmp.toString(), "--yes");
        List<String> unset = new ArrayList<>(List.of("env", "-u", "RTCAT_TRACKERS", "-u", "RTCAT_ICE", "-u",
                "RTCAT_SIGNAL"));
        unset.addAll(cmd);
        try (NetlabProcess receive = lan.exec(alone, "receive", unset, defaults)) {
            int exit = receive.await(30);
            assertNotEquals(0, exit, receive.toString());
            String[] lines = receive.stderr().strip().split("\n");
            assertTrue(lines[0].startsWith("rtcat: ") && lines[0].contains("LAN"), receive.toString());
            assertTrue(lines.length <= 2, "one line (and a hint): " + receive);
        }
    }
}
