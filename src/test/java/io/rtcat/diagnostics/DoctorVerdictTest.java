package io.rtcat.diagnostics;

import static io.rtcat.diagnostics.ProbeFixtures.done;
import static io.rtcat.diagnostics.ProbeFixtures.host;
import static io.rtcat.diagnostics.ProbeFixtures.relay;
import static io.rtcat.diagnostics.ProbeFixtures.srflx;
import static io.rtcat.diagnostics.ProbeFixtures.unfinished;
import static io.rtcat.diagnostics.ProbeFixtures.url;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.peer.IceServerUrl;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one line doctor ends with, from the probe's results and the NAT's measured behaviour. */
class DoctorVerdictTest {

    static final IceServerUrl STUN = url("stun:203.0.113.2:3478");
    static final IceServerUrl TURN_TLS = url("turns:user:pass@203.0.113.2:5349?transport=tcp");
    static final IceServerUrl TURN = url("turn:user:pass@203.0.113.2:3478");

    private static ProbeReport probe(List<IceServerUrl> servers, Gathering stun, Map<IceServerUrl, Gathering> turns) {
        return ProbeAnalysis.analyze(servers, 10, List.of(), done(List.of(host())), stun, turns);
    }

    private static NatBehaviour nat(NatBehaviour.Mapping mapping) {
        return new NatBehaviour("stun:203.0.113.2:3478", new InetSocketAddress("198.51.100.7", 61000),
                new InetSocketAddress("203.0.113.3", 3479), mapping, NatBehaviour.Filtering.ADDRESS_AND_PORT_DEPENDENT);
    }

    @Test
    void udpBlockedButTurnOverTlsRelaysSaysUseTurns() {
        ProbeReport p = probe(List.of(STUN, TURN_TLS), unfinished(List.of()),
                Map.of(TURN_TLS, done(List.of(relay("203.0.113.2", 50000, TURN_TLS.url())))));
        DoctorVerdict v = DoctorVerdict.of(p, List.of());
        assertTrue(v.ok(), v.text());
        assertTrue(v.text().startsWith("UDP looks blocked") && v.text().contains("use turns:"), v.text());
    }

    @Test
    void udpBlockedWithoutTurnIsBad() {
        DoctorVerdict v = DoctorVerdict.of(probe(List.of(STUN), unfinished(List.of()), Map.of()), List.of());
        assertFalse(v.ok());
        assertTrue(v.text().contains("no STUN server answered"), v.text());
    }

    @Test
    void symmetricNatNeedsTheRelay() {
        ProbeReport withRelay = probe(List.of(STUN, TURN),
                done(List.of(srflx("198.51.100.7", 61000, 40000, STUN.url()))),
                Map.of(TURN, done(List.of(relay("203.0.113.2", 50000, TURN.url())))));
        DoctorVerdict ok = DoctorVerdict.of(withRelay, List.of(nat(NatBehaviour.Mapping.ADDRESS_AND_PORT_DEPENDENT)));
        assertTrue(ok.ok() && ok.text().startsWith("symmetric NAT"), ok.text());
        ProbeReport alone = probe(List.of(STUN), done(List.of(srflx("198.51.100.7", 61000, 40000, STUN.url()))),
                Map.of());
        DoctorVerdict bad = DoctorVerdict.of(alone, List.of(nat(NatBehaviour.Mapping.ADDRESS_DEPENDENT)));
        assertFalse(bad.ok(), bad.text());
    }

    @Test
    void aConeNatIsFine() {
        ProbeReport p = probe(List.of(STUN), done(List.of(srflx("198.51.100.7", 61000, 40000, STUN.url()))),
                Map.of());
        DoctorVerdict v = DoctorVerdict.of(p, List.of(nat(NatBehaviour.Mapping.ENDPOINT_INDEPENDENT)));
        assertTrue(v.ok() && v.text().startsWith("cone NAT"), v.text());
    }
}
