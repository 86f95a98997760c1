package io.rtcat.cli;

import static io.rtcat.diagnostics.ProbeFixtures.done;
import static io.rtcat.diagnostics.ProbeFixtures.host;
import static io.rtcat.diagnostics.ProbeFixtures.relay;
import static io.rtcat.diagnostics.ProbeFixtures.srflx;
import static io.rtcat.diagnostics.ProbeFixtures.unfinished;
import static io.rtcat.diagnostics.ProbeFixtures.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.Gathering;
import io.rtcat.diagnostics.NatMapping;
import io.rtcat.diagnostics.ProbeAnalysis;
import io.rtcat.diagnostics.ProbeFailure;
import io.rtcat.diagnostics.ProbeReport;
import io.rtcat.diagnostics.ServerResult;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.testing.JsonSchemas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code src/main/resources/schemas/probe.schema.json} against what {@link ProbeJson} writes: every report shape
 * must validate, and a tampered document must not (so the schema is strict enough to catch drift).
 */
class ProbeJsonSchemaTest {

    static final String SCHEMA = "/schemas/probe.schema.json";

    static final IceServerUrl STUN_A = url("stun:203.0.113.2:3478");
    static final IceServerUrl STUN_B = url("stun:203.0.113.3:3479");
    static final IceServerUrl TURN_UDP = url("turn:user:pass@203.0.113.2:3478");
    static final IceServerUrl TURN_TCP = url("turn:user:pass@203.0.113.2:3478?transport=tcp");
    static final IceServerUrl TURNS = url("turns:user:pass@203.0.113.2:5349");

    static Stream<Named<ProbeReport>> reports() {
        return Stream.of(
                Named.of("STUN ok, TURN 401, --expect fails with 81", ProbeJsonTest.sample()),
                Named.of("host only, no servers, no --expect", ProbeAnalysis.analyze(List.of(), 10, List.of(),
                        done(List.of(host())), null, Map.of())),
                Named.of("no NAT and relays over udp, tcp and tls, --expect passes", noNatAndRelays()),
                Named.of("two STUN servers with the same mapping", ProbeAnalysis.analyze(List.of(STUN_A, STUN_B), 5,
                        List.of("srflx"), done(List.of(host())),
                        done(List.of(srflx("198.51.100.7", 61000, 40000, STUN_A.url()))), Map.of())),
                Named.of("two STUN servers, dependent mapping", ProbeAnalysis.analyze(List.of(STUN_A, STUN_B), 10,
                        List.of(), done(List.of(host())), done(List.of(
                                srflx("198.51.100.7", 61000, 40000, STUN_A.url()),
                                srflx("198.51.100.7", 61001, 40000, STUN_B.url()))), Map.of())),
                Named.of("everything fails or times out", everythingFails()));
    }

    private static ProbeReport noNatAndRelays() {
        Map<IceServerUrl, Gathering> turns = new LinkedHashMap<>();
        turns.put(TURN_UDP, done(List.of(host(), relay("203.0.113.2", 50000, TURN_UDP.url()))));
        turns.put(TURN_TCP, done(List.of(relay("203.0.113.2", 50002, TURN_TCP.url()))));
        turns.put(TURNS, done(List.of(relay("203.0.113.2", 50004, "turns:203.0.113.2:5349?transport=tcp"),
                srflx("198.51.100.7", 61000, 40000, "turns:203.0.113.2:5349?transport=tcp"))));
        return ProbeAnalysis.analyze(List.of(STUN_A, TURN_UDP, TURN_TCP, TURNS), 10, List.of("host", "srflx",
                "relay"), done(List.of(host())), done(List.of()), turns);
    }

    private static ProbeReport everythingFails() {
        Map<IceServerUrl, Gathering> turns = new LinkedHashMap<>();
        turns.put(TURN_UDP, done(List.of(), new Gathering.RawError(TURN_UDP.url() + "?transport=udp", 401,
                "Unauthorized", 139)));
        turns.put(TURN_TCP, done(List.of(), new Gathering.RawError(TURN_TCP.url(), 701, "", 3)));
        turns.put(TURNS, unfinished(List.of()));
        return ProbeAnalysis.analyze(List.of(STUN_A, TURN_UDP, TURN_TCP, TURNS), 3, List.of("host", "srflx",
                "relay"), unfinished(List.of()), unfinished(List.of()), turns);
    }

    @ParameterizedTest
    @MethodSource("reports")
    void everyReportShapeMatchesTheSchema(ProbeReport report) {
        JsonSchemas.assertValid(SCHEMA, ProbeJson.toJson(report).toString());
    }

    @Test
    void fixturesCoverEveryStatusAndFailureKind() {
        List<ProbeReport> all = reports().map(Named::getPayload).toList();
        for (ServerResult.Status s : ServerResult.Status.values()) {
            assertTrue(all.stream().anyMatch(r -> r.servers().stream().anyMatch(x -> x.status() == s)), s.id());
        }
        for (ProbeFailure.Kind k : ProbeFailure.Kind.values()) {
            assertTrue(all.stream().anyMatch(r -> r.failures().stream().anyMatch(f -> f.kind() == k)), k.id());
        }
        for (NatMapping.Result m : NatMapping.Result.values()) {
            assertTrue(all.stream().anyMatch(r -> r.mapping().result() == m), m.id());
        }
    }

    static Stream<Named<Consumer<ObjectNode>>> tamperings() {
        return Stream.of(
                tamper("unknown server status", d -> server(d).put("status", "maybe")),
                tamper("unknown mapping result", d -> ((ObjectNode) d.get("mapping")).put("result", "symmetric")),
                tamper("unknown candidate type", d -> candidate(d).put("type", "unknown")),
                tamper("missing required field", d -> d.remove("exit_code")),
                tamper("missing candidate field", d -> candidate(d).remove("related_port")),
                tamper("extra top-level property", d -> d.put("extra", 1)),
                tamper("extra candidate property", d -> candidate(d).put("foundation", "1")),
                tamper("schema_version 2", d -> d.put("schema_version", 2)),
                tamper("port not an integer", d -> candidate(d).put("port", 40000.5)),
                tamper("priority as a string", d -> candidate(d).put("priority", "2122260223")),
                tamper("null where never null", d -> server(d).putNull("summary")),
                tamper("STUN server with a username", d -> server(d).put("username", "user")),
                tamper("TURN server without transport", d -> ((ObjectNode) d.at("/servers/1")).remove("transport")),
                tamper("server ok contradicts status", d -> server(d).put("ok", false)),
                tamper("failure kind and exit code disagree", d -> ((ObjectNode) d.at("/failures/0"))
                        .put("exit_code", 84)),
                tamper("ok with a failure exit code", d -> d.put("ok", true)));
    }

    private static Named<Consumer<ObjectNode>> tamper(String name, Consumer<ObjectNode> change) {
        return Named.of(name, change);
    }

    private static ObjectNode server(ObjectNode doc) {
        return (ObjectNode) doc.at("/servers/0");
    }

    private static ObjectNode candidate(ObjectNode doc) {
        return (ObjectNode) doc.at("/servers/0/candidates/0");
    }

    @ParameterizedTest
    @MethodSource("tamperings")
    void tamperedDocumentIsRejected(Consumer<ObjectNode> change) {
        ObjectNode doc = ProbeJson.toJson(ProbeJsonTest.sample());
        assertEquals(List.of(), JsonSchemas.violations(SCHEMA, doc), "the untouched sample must be valid");
        change.accept(doc);
        assertFalse(JsonSchemas.violations(SCHEMA, doc).isEmpty(), "accepted:\n" + doc.toPrettyString());
    }

    @Test
    void violationsNameTheOffendingField() {
        ObjectNode doc = ProbeJson.toJson(ProbeJsonTest.sample());
        server(doc).put("status", "maybe");
        List<String> found = JsonSchemas.violations(SCHEMA, doc);
        assertTrue(found.stream().anyMatch(v -> v.startsWith("/servers/0/status:")), found.toString());
    }

    @Test
    void schemaIsAValidDraft202012Schema() {
        assertEquals(List.of(), JsonSchemas.metaSchemaViolations(SCHEMA));
    }

    /** The schema doubles as documentation: every property it declares says what it means. */
    @Test
    void everyPropertyHasADescription() {
        assertEquals(List.of(), JsonSchemas.undocumentedProperties(SCHEMA));
    }
}
