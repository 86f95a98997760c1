package io.rtcat.cli;

import static io.rtcat.testing.NetlabSites.STUN;
import static io.rtcat.testing.NetlabSites.STUN_ALTERNATE;
import static io.rtcat.testing.NetlabSites.TURN_TCP;
import static io.rtcat.testing.NetlabSites.TURN_UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.json.Mappers;
import io.rtcat.testing.NetlabProcess;
import io.rtcat.testing.NetlabSites;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * rtcat probe from behind real NATs (../shared/netlab): coturn answers STUN on 203.0.113.2:3478 and
 * 203.0.113.3:3479, so a site can compare two mappings of one local socket.
 */
class ProbeNetlabIT {

    @RegisterExtension
    static final NetlabSites SITES = new NetlabSites("pr");

    private record Probe(int exit, JsonNode doc, String output) {
        JsonNode server(int i) {
            return doc.at("/servers/" + i);
        }
    }

    private Probe probe(String site, String... args) throws Exception {
        List<String> cmd = SITES.java("probe", "--json", "--quiet");
        cmd.addAll(List.of(args));
        try (NetlabProcess p = SITES.exec(site, "probe", cmd, Map.of())) {
            int exit = p.await(40);
            return new Probe(exit, Mappers.JSON.readTree(p.stdout()), p.toString());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void coneSiteIsEndpointIndependentAndSymmetricSiteIsNot() throws Exception {
        SITES.up(1, "cone", "symmetric");

        Probe cone = probe("a", "--ice", STUN, "--ice", STUN_ALTERNATE, "--ice", TURN_UDP, "--expect",
                "host,srflx,relay");
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

        Probe sym = probe("b", "--ice", STUN, "--ice", STUN_ALTERNATE, "--expect", "host,srflx");
        assertEquals(0, sym.exit(), sym.output());
        assertEquals("dependent", sym.doc().at("/mapping/result").asText(), sym.output());
        System.out.println("symmetric: " + sym.doc().at("/servers").toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void blockUdpSiteNeedsTurnOverTcp() throws Exception {
        SITES.up(2, "block-udp", "cone");

        Probe tcp = probe("a", "--ice", TURN_TCP, "--expect", "host,relay");
        assertEquals(0, tcp.exit(), tcp.output());
        assertEquals("ok", tcp.server(0).get("status").asText(), tcp.output());

        Probe udp = probe("a", "--ice", TURN_UDP, "--expect", "host,relay", "--timeout", "4");
        assertEquals(ExitCode.PROBE_TURN_UNREACHABLE, udp.exit(), udp.output());
        assertEquals("no_answer", udp.server(0).get("status").asText(), udp.output());
    }
}
