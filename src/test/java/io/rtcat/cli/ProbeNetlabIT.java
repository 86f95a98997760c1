package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.NetlabLab;
import io.rtcat.testing.NetlabProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * rtcat probe from behind real NATs (../shared/netlab): coturn answers STUN on 203.0.113.2:3478 and
 * 203.0.113.3:3479, so a site can compare two mappings of one local socket.
 */
class ProbeNetlabIT {

    private static final String STUN_1 = "stun:" + NetlabLab.TURN_IP + ":" + NetlabLab.TURN_PORT;
    private static final String STUN_2 = "stun:203.0.113.3:3479";
    private static final String TURN_UDP = "turn:user:pass@" + NetlabLab.TURN_IP + ":" + NetlabLab.TURN_PORT;
    private static final String TURN_TCP = TURN_UDP + "?transport=tcp";
    private static final long PID = ProcessHandle.current().pid();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static Path jar;
    private static String java;
    private NetlabLab lab;

    @BeforeAll
    static void prepare() throws Exception {
        jar = NetlabLab.privateJar(work);
        java = NetlabLab.javaBinary();
        NetlabLab.downStale(Pattern.compile("(pr[0-9]_([0-9]+))"));
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    private record Probe(int exit, JsonNode doc, String output) {
        JsonNode server(int i) {
            return doc.at("/servers/" + i);
        }
    }

    private Probe probe(String site, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString(), "probe", "--json", "--quiet"));
        cmd.addAll(List.of(args));
        try (NetlabProcess p = lab.exec(site, "probe", cmd, Map.of())) {
            int exit = p.await(40);
            return new Probe(exit, JSON.readTree(p.stdout()), p.toString());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void coneSiteIsEndpointIndependentAndSymmetricSiteIsNot() throws Exception {
        lab = NetlabLab.up("pr1_" + PID, "cone", "symmetric");

        Probe cone = probe("a", "--ice", STUN_1, "--ice", STUN_2, "--ice", TURN_UDP, "--expect", "host,srflx,relay");
        assertEquals(0, cone.exit(), cone.output());
        // Same mapping: libwebrtc keeps the srflx of whichever STUN server answered first; the other is merged.
        int first = cone.server(0).get("status").asText().equals("ok") ? 0 : 1;
        assertEquals("ok", cone.server(first).get("status").asText(), cone.output());
        assertEquals("same_mapping", cone.server(1 - first).get("status").asText(), cone.output());
        assertEquals("203.0.113.10", cone.server(first).at("/candidates/0/address").asText(), cone.output());
        assertEquals("192.168.1.10", cone.server(first).at("/candidates/0/related_address").asText(),
                cone.output());
        assertEquals("endpoint-independent", cone.doc().at("/mapping/result").asText(), cone.output());
        assertEquals("ok", cone.server(2).get("status").asText(), cone.output());
        System.out.println("cone: " + cone.doc().at("/servers").toString());

        Probe sym = probe("b", "--ice", STUN_1, "--ice", STUN_2, "--expect", "host,srflx");
        assertEquals(0, sym.exit(), sym.output());
        assertEquals("dependent", sym.doc().at("/mapping/result").asText(), sym.output());
        System.out.println("symmetric: " + sym.doc().at("/servers").toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void blockUdpSiteNeedsTurnOverTcp() throws Exception {
        lab = NetlabLab.up("pr2_" + PID, "block-udp", "cone");

        Probe tcp = probe("a", "--ice", TURN_TCP, "--expect", "host,relay");
        assertEquals(0, tcp.exit(), tcp.output());
        assertEquals("ok", tcp.server(0).get("status").asText(), tcp.output());

        Probe udp = probe("a", "--ice", TURN_UDP, "--expect", "host,relay", "--timeout", "4");
        assertEquals(ExitCode.PROBE_TURN_UNREACHABLE, udp.exit(), udp.output());
        assertEquals("no_answer", udp.server(0).get("status").asText(), udp.output());
    }
}
