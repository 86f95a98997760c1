package io.rtcat.cli;

import static io.rtcat.testing.NetlabSites.STUN;
import static io.rtcat.testing.NetlabSites.TURN_UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.testing.JsonSchemas;
import io.rtcat.testing.NetlabLab;
import io.rtcat.testing.NetlabProcess;
import io.rtcat.testing.NetlabSites;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `rtcat check` in site a against `rtcat respond` in site b, through real NAT routers (../shared/netlab), meeting on
 * a signaling server on the lab's public net, with the lab's coturn for STUN and TURN.
 */
class CheckNetlabIT {

    private static final String TURN_IP = NetlabLab.TURN_IP;
    private static final String SIGNAL_URL = "ws://" + TURN_IP + ":8766/";
    private static final List<String> ICE = List.of(STUN, TURN_UDP);
    private static final Set<String> NON_RELAY = Set.of("host", "srflx", "prflx");

    @RegisterExtension
    static final NetlabSites SITES = new NetlabSites("ck");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void coneToConeIsDirect() throws Exception {
        SITES.up(1, "cone", "cone");
        Run r = check("--expect", "direct", "--size", "2M");
        assertEquals(0, r.exit, r.toString());
        JsonNode c = r.json.path("connection");
        assertEquals("direct", c.path("path").asText(), r.toString());
        assertTrue(NON_RELAY.contains(c.path("local_candidate").path("type").asText()), r.toString());
        assertTrue(NON_RELAY.contains(c.path("remote_candidate").path("type").asText()), r.toString());
        assertEquals(2L << 20, r.json.path("throughput").path(0).path("bytes").asLong(), r.toString());
        report("cone/cone", r);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void symmetricToSymmetricIsRelayedAndExpectDirectSays85() throws Exception {
        SITES.up(2, "symmetric", "symmetric");
        Run r = check("--expect", "direct", "--size", "1M");
        assertEquals(ExitCode.CHECK_PATH, r.exit, r.toString());
        assertEquals("relay", r.json.path("connection").path("path").asText(), r.toString());
        assertEquals("path_mismatch", r.json.path("failures").path(0).path("kind").asText(), r.toString());
        assertTrue(r.json.path("throughput").path(0).path("bytes_per_second").asLong() > 0, r.toString());
        report("symmetric/symmetric", r);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void lossAndDelayShowInTheRttAndDataStillMoves() throws Exception {
        NetlabLab lab = SITES.up(3, "cone", "cone");
        lab.netem("a", "--loss", "5", "--delay", "100");
        String impl = lab.info().path("sites").path("a").path("impairment").path("impl").asText();
        // 100 ms each way on site a: a round trip costs 200 ms plus the lab's own few milliseconds.
        List<String> args = List.of("--count", "20", "--interval", "100", "--size", "128K", "--timeout", "60");
        Run r = check(args.toArray(new String[0]));
        if (r.exit != 0 && r.process.stderr().contains("connecting")) {
            // Seen in NatTraversalIT about once in seven runs: set-up under 5% loss outlasting the timeout.
            System.out.println("[CheckNetlabIT] WARNING: set-up under 5% loss failed; retrying once\n" + r);
            r = check(args.toArray(new String[0]));
        }
        assertEquals(0, r.exit, r.toString());
        JsonNode rtt = r.json.path("rtt_ms");
        double budget = 200;
        assertTrue(rtt.path("min").asDouble() >= budget * 0.8 && rtt.path("min").asDouble() <= budget * 1.2,
                "min RTT within 20% of " + budget + " ms\n" + r);
        assertTrue(rtt.path("max").asDouble() < 1000, "no ping waited for a retransmission\n" + r);
        assertTrue(rtt.path("p50").asDouble() >= budget * 0.8 && rtt.path("p50").asDouble() <= budget * 1.2,
                "median RTT within 20% of " + budget + " ms\n" + r);
        // Pings ride an unreliable channel: with 5% loss each way about one in ten is lost, and says so.
        JsonNode pings = r.json.path("pings");
        assertEquals(20, pings.path("sent").asInt(), r.toString());
        assertTrue(pings.path("answered").asInt() >= 10, r.toString());
        assertEquals(20 - pings.path("answered").asInt(), pings.path("lost").asInt(), r.toString());
        assertTrue(r.json.path("throughput").path(0).path("bytes_per_second").asLong() > 0, r.toString());
        assertTrue(r.json.path("connect_phases_ms").path("ice_dtls").asLong() >= 200,
                "ICE and DTLS need round trips of 200 ms\n" + r);
        report("cone/cone, a: loss 5% delay 100 ms (" + impl + ")", r);
    }

    /**
     * A 1 Mbit/s cap on site a's uplink: the bandwidth estimate and the video bitrate settle below it, the encoder
     * says it is limited by bandwidth, and the verdict is below what 720p needs.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void mediaUnderARateCapSettlesBelowItAndTheVerdictSaysSo() throws Exception {
        NetlabLab lab = SITES.up(4, "cone", "cone");
        lab.netem("a", "--loss", "0", "--delay", "0", "--rate", "1mbit");
        Run r = check("--media", "video", "--duration", "15", "--count", "3");
        assertEquals(0, r.exit, r.toString());
        JsonNode m = r.json.path("media");
        double plateau = m.path("estimate").path("plateau_kbps").asDouble();
        // Within 5% of the cap: tbf's bucket lets short bursts through faster (runs gave 858-960 kbit/s).
        assertTrue(plateau > 0 && plateau < 1050, "estimate settles at or below the 1 Mbit/s cap\n" + r);
        JsonNode v = m.path("video");
        assertTrue(v.path("settled_kbps").asDouble() < 1000, "video settles below the cap\n" + r);
        assertTrue(v.path("settled_kbps").asDouble() > 100, "video still flows\n" + r);
        assertEquals("bandwidth", v.path("quality_limitation").asText(), r.toString());
        String grade = m.path("verdict").path("grade").asText();
        assertTrue(Set.of("unusable", "audio", "180p", "360p").contains(grade), "not 720p on 1 Mbit/s\n" + r);
        mediaReport("cone/cone, a: rate 1mbit", r);
    }

    /** 5% loss each way on site a: the report shows the loss and the NACKs, and the verdict names the loss. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void mediaUnderLossShowsLossNacksAndAVerdictThatSaysSo() throws Exception {
        NetlabLab lab = SITES.up(5, "cone", "cone");
        lab.netem("a", "--loss", "5", "--delay", "0");
        Run r = check("--media", "both", "--resolution", "640x360", "--duration", "10", "--count", "3",
                "--timeout", "60");
        assertEquals(0, r.exit, r.toString());
        JsonNode m = r.json.path("media");
        JsonNode v = m.path("video");
        assertTrue(v.path("nack").asLong() > 0, "lost packets are NACKed\n" + r);
        assertTrue(v.path("loss_percent").asDouble() >= 1, "video loss is reported\n" + r);
        assertTrue(m.path("audio").path("loss_percent").asDouble() >= 1, "audio loss is reported\n" + r);
        assertTrue(m.path("verdict").path("text").asText().contains("% loss"), "the verdict names the loss\n" + r);
        mediaReport("cone/cone, a: loss 5%", r);
    }

    private static void mediaReport(String what, Run r) {
        JsonNode m = r.json.path("media");
        System.out.printf("[CheckNetlabIT] %s: verdict %s; estimate %s; video %s; audio %s%n", what,
                m.path("verdict"), m.path("estimate"), m.path("video"), m.path("audio"));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static List<String> rtcat(String... args) {
        List<String> cmd = SITES.rtcat(args);
        ICE.forEach(url -> cmd.addAll(List.of("--ice", url)));
        return cmd;
    }

    /** Signaling server on the public net, `respond --once` in b, `check --json` in a with {@code args}. */
    private Run check(String... args) throws Exception {
        NetlabProcess signal = null;
        NetlabProcess respond = null;
        NetlabProcess check = null;
        try {
            signal = SITES.exec("turn", "signal", SITES.java("signal", "--port", "8766", "--bind", TURN_IP, "--json"),
                    Map.of());
            signal.awaitStdout("\"listening\"\\s*:\\s*\"([^\"]+)\"", 30);
            respond = SITES.exec("b", "respond", rtcat("respond", "--signal", SIGNAL_URL, "--room", "lab", "--once",
                    "--timeout", "60", "-v"), Map.of());
            respond.awaitStderr("(Waiting for checks)", 30);
            List<String> cmd = rtcat("check", "--signal", SIGNAL_URL, "--room", "lab", "--json", "-v");
            cmd.addAll(List.of(args));
            check = SITES.exec("a", "check", cmd, Map.of());
            int exit = check.await(240);
            if (exit == 0 || exit == ExitCode.CHECK_PATH || exit == ExitCode.CHECK_MEDIA) {
                JsonSchemas.assertValid("/schemas/check.schema.json", check.stdout());
            }
            return new Run(exit, check, NetlabSites.jsonOrEmpty(check.stdout()), respond.stderr());
        } finally {
            for (NetlabProcess p : new NetlabProcess[] {check, respond, signal}) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    private static void report(String what, Run r) {
        JsonNode c = r.json.path("connection");
        System.out.printf("[CheckNetlabIT] %s: %s %s -> %s; connect %s ms %s; rtt %s; up %s B/s%n", what,
                c.path("path").asText(), c.path("local_candidate").path("type").asText(),
                c.path("remote_candidate").path("type").asText(), r.json.path("connect_ms").asText(),
                r.json.path("connect_phases_ms"), r.json.path("rtt_ms"),
                r.json.path("throughput").path(0).path("bytes_per_second").asText());
    }

    private record Run(int exit, NetlabProcess process, JsonNode json, String responderLog) {
        @Override
        public String toString() {
            return "check exit " + exit + "\n" + process + "\n--- respond stderr\n" + responderLog;
        }
    }
}
