package io.rtcat.diagnostics;

import static io.rtcat.diagnostics.ProbeFixtures.done;
import static io.rtcat.diagnostics.ProbeFixtures.host;
import static io.rtcat.diagnostics.ProbeFixtures.srflx;
import static io.rtcat.diagnostics.ProbeFixtures.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.peer.IceServerUrl;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbeMappingTest {

    static final String S1 = "stun:203.0.113.2:3478";
    static final String S2 = "stun:203.0.113.3:3479";
    static final Set<String> HOSTS = Set.of("192.168.1.10");

    @Test
    void sameMappingFromTwoServersIsEndpointIndependent() {
        NatMapping m = NatMapping.classify(2, 2, List.of(srflx("203.0.113.10", 61000, 40000, S1)), HOSTS);
        assertEquals(NatMapping.Result.ENDPOINT_INDEPENDENT, m.result());
        assertTrue(m.description().contains("a direct connection is likely"), m.description());
    }

    @Test
    void differentPortsForOneSocketAreDependent() {
        NatMapping m = NatMapping.classify(2, 2, List.of(srflx("203.0.113.10", 61000, 40000, S1),
                srflx("203.0.113.10", 61001, 40000, S2)), HOSTS);
        assertEquals(NatMapping.Result.DEPENDENT, m.result());
        assertTrue(m.description().contains("a relay will be needed"), m.description());
    }

    @Test
    void differentSocketsAreNotCompared() {
        NatMapping m = NatMapping.classify(2, 2, List.of(srflx("203.0.113.10", 61000, 40000, S1),
                srflx("203.0.113.10", 61001, 40001, S2)), HOSTS);
        assertEquals(NatMapping.Result.ENDPOINT_INDEPENDENT, m.result());
    }

    @Test
    void oneServerIsNotEnough() {
        NatMapping m = NatMapping.classify(1, 1, List.of(srflx("203.0.113.10", 61000, 40000, S1)), HOSTS);
        assertEquals(NatMapping.Result.UNKNOWN, m.result());
        assertEquals("unknown (needs two STUN servers)", m.description());
    }

    @Test
    void noSrflxAfterAnAnswerMeansNoNat() {
        assertEquals(NatMapping.Result.NO_NAT, NatMapping.classify(1, 1, List.of(), HOSTS).result());
        assertEquals(NatMapping.Result.NO_NAT, NatMapping.classify(2, 2,
                List.of(srflx("192.168.1.10", 40000, 40000, S1)), HOSTS).result());
    }

    @Test
    void nothingAnsweredIsUnknown() {
        assertEquals("unknown (no STUN server answered)", NatMapping.classify(2, 0, List.of(), HOSTS).description());
    }

    @Test
    void analysisCountsTheSilentlyMergedServerAsAnswered() {
        IceServerUrl a = url(S1);
        IceServerUrl b = url(S2);
        ProbeReport r = ProbeAnalysis.analyze(List.of(a, b), 10, List.of(), done(List.of(host())),
                done(List.of(srflx("203.0.113.10", 61000, 40000, S1))), Map.of());
        assertEquals(ServerResult.Status.OK, r.servers().get(0).status());
        assertEquals(ServerResult.Status.SAME_MAPPING, r.servers().get(1).status());
        assertEquals(NatMapping.Result.ENDPOINT_INDEPENDENT, r.mapping().result());
    }
}
