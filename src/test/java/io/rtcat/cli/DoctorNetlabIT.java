package io.rtcat.cli;

import static io.rtcat.testing.NetlabSites.STUN;
import static io.rtcat.testing.NetlabSites.STUN_ALTERNATE;
import static io.rtcat.testing.NetlabSites.TURN_TCP;
import static io.rtcat.testing.NetlabSites.TURN_UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.json.Mappers;
import io.rtcat.testing.JsonSchemas;
import io.rtcat.testing.NetlabProcess;
import io.rtcat.testing.NetlabSites;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * rtcat doctor from behind the netlab's real NATs, against its coturn (203.0.113.2:3478, alternate
 * 203.0.113.3:3479). One lab per test: a cone and a symmetric site; a site whose UDP is blocked.
 */
class DoctorNetlabIT {

    @RegisterExtension
    static final NetlabSites SITES = new NetlabSites("dr");

    private record Doctor(int exit, JsonNode doc, String output) {
        String verdict() {
            return doc.at("/verdict/text").asText();
        }
    }

    private Doctor doctor(String site, String... args) throws Exception {
        List<String> cmd = SITES.java("doctor", "--json", "--quiet", "--timeout", "5");
        cmd.addAll(List.of(args));
        try (NetlabProcess p = SITES.exec(site, "doctor", cmd, Map.of())) {
            int exit = p.await(40);
            JsonSchemas.assertValid("/schemas/doctor.schema.json", p.stdout());
            return new Doctor(exit, Mappers.JSON.readTree(p.stdout()), p.toString());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aConeSiteCanGoDirectAndASymmetricOneNeedsTheRelay() throws Exception {
        SITES.up(1, "cone", "symmetric");

        Doctor cone = doctor("a", "--ice", STUN, "--ice", STUN_ALTERNATE, "--ice", TURN_UDP);
        System.out.println("cone: " + cone.doc().at("/nat") + " / " + cone.verdict());
        assertEquals(0, cone.exit(), cone.output());
        assertTrue(cone.verdict().startsWith("cone NAT"), cone.output());
        assertEquals("203.0.113.10", cone.doc().at("/nat/0/mapped").asText().replaceAll(":\\d+$", ""), cone.output());

        Doctor sym = doctor("b", "--ice", STUN, "--ice", STUN_ALTERNATE, "--ice", TURN_UDP);
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
        SITES.up(2, "block-udp", "cone");

        Doctor blocked = doctor("a", "--ice", STUN, "--ice", TURN_TCP);
        System.out.println("block-udp: " + blocked.verdict());
        assertEquals(ExitCode.PROBE_STUN_UNREACHABLE, blocked.exit(), blocked.output());
        assertTrue(blocked.verdict().startsWith("UDP looks blocked"), blocked.output());
        assertTrue(blocked.verdict().contains("transport=tcp"), blocked.output());

        // Given only the UDP URL, doctor also tries it over TCP, and that is the way out it names.
        Doctor udpOnly = doctor("a", "--ice", STUN, "--ice", TURN_UDP);
        System.out.println("block-udp, turn: over udp given: " + udpOnly.doc().at("/relays") + " / "
                + udpOnly.verdict());
        assertEquals("udp", udpOnly.doc().at("/relays/0/transport").asText(), udpOnly.output());
        assertFalse(udpOnly.doc().at("/relays/0/ok").asBoolean(), udpOnly.output());
        assertEquals("tcp", udpOnly.doc().at("/relays/1/transport").asText(), udpOnly.output());
        assertTrue(udpOnly.doc().at("/relays/1/ok").asBoolean(), udpOnly.output());
        assertTrue(udpOnly.verdict().contains("TURN over tcp relays at"), udpOnly.output());
        assertTrue(udpOnly.verdict().endsWith("use " + TURN_TCP.replace("user:pass@", "")), udpOnly.output());
    }
}
