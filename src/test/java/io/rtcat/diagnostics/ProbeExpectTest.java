package io.rtcat.diagnostics;

import static io.rtcat.diagnostics.ProbeFixtures.done;
import static io.rtcat.diagnostics.ProbeFixtures.host;
import static io.rtcat.diagnostics.ProbeFixtures.relay;
import static io.rtcat.diagnostics.ProbeFixtures.srflx;
import static io.rtcat.diagnostics.ProbeFixtures.unfinished;
import static io.rtcat.diagnostics.ProbeFixtures.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.cli.ExitCode;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbeExpectTest {

    static final IceServerUrl STUN = url("stun:203.0.113.2:3478");
    static final IceServerUrl TURN = url("turn:user:pass@203.0.113.2:3478");
    static final IceServerUrl TURN_TCP = url("turn:user:pass@203.0.113.2:3478?transport=tcp");
    static final Gathering HOST = done(List.of(host()));

    static ProbeReport run(List<IceServerUrl> servers, List<String> expect, Gathering stun,
            Map<IceServerUrl, Gathering> turns) {
        return ProbeAnalysis.analyze(servers, 10, expect, HOST, stun, turns);
    }

    static Gathering.RawError error(int code, String text) {
        return new Gathering.RawError("turn:203.0.113.2:3478?transport=udp", code, text, 100);
    }

    @Test
    void parsesExpectList() throws Exception {
        assertEquals(List.of("host", "srflx", "relay"), ProbeAnalysis.parseExpect("host, SRFLX,relay,host"));
        assertEquals(List.of(), ProbeAnalysis.parseExpect(null));
        RtcatException e = assertThrows(RtcatException.class, () -> ProbeAnalysis.parseExpect("host,prflx"));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("'prflx'"), e.getMessage());
    }

    @Test
    void everythingPresentIsOk() {
        Map<IceServerUrl, Gathering> turns = Map.of(TURN, done(List.of(relay("203.0.113.2", 50000,
                "turn:203.0.113.2:3478?transport=udp"))));
        ProbeReport r = run(List.of(STUN, TURN), List.of("host", "srflx", "relay"),
                done(List.of(srflx("203.0.113.10", 61000, 40000, "stun:203.0.113.2:3478"))), turns);
        assertEquals(0, ExitCode.ofProbe(r.failures()), r.failures().toString());
        assertEquals(ServerResult.Status.OK, r.servers().get(0).status());
        assertEquals(ServerResult.Status.OK, r.servers().get(1).status());
        assertEquals(Long.valueOf(62), r.servers().get(1).firstCandidateMillis());
    }

    @Test
    void withoutExpectTheProbeExitsZeroEvenWhenServersFail() {
        ProbeReport r = run(List.of(TURN), List.of(), null, Map.of(TURN, done(List.of(), error(401, "Unauthorized"))));
        assertEquals(0, ExitCode.ofProbe(r.failures()));
        assertTrue(r.failures().isEmpty());
        assertEquals(ServerResult.Status.AUTH_FAILED, r.servers().get(0).status());
    }

    @Test
    void authFailureWinsOverEverythingElse() {
        Map<IceServerUrl, Gathering> turns = new LinkedHashMap<>();
        turns.put(TURN_TCP, unfinished(List.of()));
        turns.put(TURN, done(List.of(), error(401, "Unauthorized")));
        ProbeReport r = run(List.of(STUN, TURN_TCP, TURN), List.of("host", "srflx", "relay"),
                unfinished(List.of()), turns);
        List<Integer> codes = r.failures().stream().map(f -> ExitCode.of(f.kind())).toList();
        assertTrue(codes.containsAll(List.of(80, 81, 82, 83, 84)), codes.toString());
        assertEquals(81, ExitCode.ofProbe(r.failures()));
    }

    @Test
    void turnUnreachableBeatsStunUnreachable() {
        Map<IceServerUrl, Gathering> turns = Map.of(TURN, done(List.of(), error(701, "TURN allocate request "
                + "timed out.")));
        ProbeReport r = run(List.of(STUN, TURN), List.of("relay"), unfinished(List.of()), turns);
        assertEquals(82, ExitCode.ofProbe(r.failures()));
        assertEquals(ServerResult.Status.NO_ANSWER, r.servers().get(0).status());
        assertEquals(ServerResult.Status.UNREACHABLE, r.servers().get(1).status());
    }

    @Test
    void turnWithNeitherRelayNorErrorIsUnreachable() {
        ProbeReport r = run(List.of(TURN), List.of("host"), null, Map.of(TURN, done(List.of())));
        assertEquals(82, ExitCode.ofProbe(r.failures()));
    }

    @Test
    void stunWithoutAnswerIs80() {
        ProbeReport r = run(List.of(STUN), List.of("host"), unfinished(List.of()), Map.of());
        assertEquals(80, ExitCode.ofProbe(r.failures()));
        assertTrue(r.failures().get(0).message().contains("did not answer"), r.failures().toString());
    }

    @Test
    void aMissingSrflxFromSilentServersDoesNotClaimTheyAnswered() {
        ProbeReport r = run(List.of(STUN), List.of("srflx"), unfinished(List.of()), Map.of());
        ProbeFailure missing = r.failures().stream().filter(f -> f.kind() == ProbeFailure.Kind.MISSING_TYPE)
                .findFirst().orElseThrow();
        assertTrue(!missing.hint().contains("answered without"), missing.hint());
        assertTrue(missing.hint().contains("no STUN server answered"), missing.hint());
    }

    @Test
    void missingTypeIs83() {
        ProbeReport r = run(List.of(), List.of("host", "relay"), null, Map.of());
        assertEquals(83, ExitCode.ofProbe(r.failures()));
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).hint().contains("--ice turn:"), r.failures().get(0).hint());
    }

    @Test
    void noNatCountsAsSrflx() {
        ProbeReport r = run(List.of(STUN), List.of("srflx"), done(List.of()), Map.of());
        assertEquals(0, ExitCode.ofProbe(r.failures()), r.failures().toString());
        assertEquals(ServerResult.Status.NO_NAT, r.servers().get(0).status());
        assertTrue(r.typesFound().contains("srflx"));
    }

    @Test
    void timeoutAloneIs84() {
        Map<IceServerUrl, Gathering> turns = Map.of(TURN, unfinished(List.of(relay("203.0.113.2", 50000, null))));
        ProbeReport r = run(List.of(TURN), List.of("relay"), null, turns);
        assertEquals(84, ExitCode.ofProbe(r.failures()));
        assertEquals(1, r.failures().size());
    }

    @Test
    void duplicateErrorsPerInterfaceAreReportedOnce() {
        Map<IceServerUrl, Gathering> turns = Map.of(TURN_TCP, done(List.of(), error(701, "Failed to establish "
                + "connection"), error(701, "Failed to establish connection")));
        ProbeReport r = run(List.of(TURN_TCP), List.of("relay"), null, turns);
        assertEquals(1, r.servers().get(0).errors().size());
        assertEquals(82, ExitCode.ofProbe(r.failures()));
    }

    @Test
    void serverUrlsMatchByHostAndPort() {
        assertTrue(ProbeAnalysis.sameServer(STUN, "stun:203.0.113.2:3478"));
        assertTrue(ProbeAnalysis.sameServer(STUN, "stun:203.0.113.2"));
        assertTrue(ProbeAnalysis.sameServer(TURN, "turn:203.0.113.2:3478?transport=udp"));
        assertEquals(false, ProbeAnalysis.sameServer(STUN, "stun:203.0.113.3:3479"));
        assertEquals(false, ProbeAnalysis.sameServer(STUN, null));
    }
}
