package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.JsonSchemas;
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
 * rtcat doctor from behind the netlab's real NATs, against its coturn (203.0.113.2:3478, alternate
 * 203.0.113.3:3479). One lab per test: a cone and a symmetric site; a site whose UDP is blocked.
 */
class DoctorNetlabIT {

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
        NetlabLab.downStale(Pattern.compile("(dr[0-9]_([0-9]+))"));
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    private record Doctor(int exit, JsonNode doc, String output) {
        String verdict() {
            return doc.at("/verdict/text").asText();
        }
    }

    private Doctor doctor(String site, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString(), "doctor", "--json", "--quiet",
                "--timeout", "5"));
        cmd.addAll(List.of(args));
        try (NetlabProcess p = lab.exec(site, "doctor", cmd, Map.of())) {
            int exit = p.await(40);
            JsonSchemas.assertValid("/schemas/doctor.schema.json", p.stdout());
            return new Doctor(exit, JSON.readTree(p.stdout()), p.toString());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aConeSiteCanGoDirectAndASymmetricOneNeedsTheRelay() throws Exception {
        lab = NetlabLab.up("dr1_" + PID, "cone", "symmetric");

        Doctor cone = doctor("a", "--ice", STUN_1, "--ice", STUN_2, "--ice", TURN_UDP);
        System.out.println("cone: " + cone.doc().at("/nat") + " / " + cone.verdict());
        assertEquals(0, cone.exit(), cone.output());
        assertTrue(cone.verdict().startsWith("cone NAT"), cone.output());
        assertEquals("203.0.113.10", cone.doc().at("/nat/0/mapped").asText().replaceAll(":\\d+$", ""), cone.output());

        Doctor sym = doctor("b", "--ice", STUN_1, "--ice", STUN_2, "--ice", TURN_UDP);
        System.out.println("symmetric: " + sym.doc().at("/nat") + " / " + sym.verdict());
        assertEquals(0, sym.exit(), sym.output());
        assertTrue(sym.verdict().startsWith("symmetric NAT: direct connections will mostly fail, but TURN"),
                sym.output());
        assertEquals("address-and-port-dependent", sym.doc().at("/nat/0/mapping").asText(), sym.output());
        // 203.0.113.3:3479 names an alternate on its own IP: no RFC 5780 mapping test, so no false "cone"
        assertEquals("unknown", sym.doc().at("/nat/1/mapping").asText(), sym.output());
        assertEquals("endpoint-independent", cone.doc().at("/nat/0/mapping").asText(), cone.output());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSiteWithoutUdpIsToldToUseTurnOverTcp() throws Exception {
        lab = NetlabLab.up("dr2_" + PID, "block-udp", "cone");

        Doctor blocked = doctor("a", "--ice", STUN_1, "--ice", TURN_TCP);
        System.out.println("block-udp: " + blocked.verdict());
        assertEquals(ExitCode.PROBE_STUN_UNREACHABLE, blocked.exit(), blocked.output());
        assertTrue(blocked.verdict().startsWith("UDP looks blocked"), blocked.output());
        assertTrue(blocked.verdict().contains("transport=tcp"), blocked.output());
    }
}
