package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.CheckFailure;
import io.rtcat.diagnostics.CheckReport;
import io.rtcat.diagnostics.CheckThresholds;
import io.rtcat.diagnostics.MediaFixtures;
import io.rtcat.diagnostics.MediaReport;
import io.rtcat.diagnostics.RttStats;
import io.rtcat.diagnostics.Throughput;
import io.rtcat.stats.CandidateInfo;
import io.rtcat.stats.ConnectTimings;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.testing.JsonSchemas;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code src/main/resources/schemas/check.schema.json} against what {@link CheckJson} writes (every report shape
 * validates, a tampered document does not), plus the respond-event and error schemas.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CheckJsonSchemaTest {

    static final String CHECK = "/schemas/check.schema.json";
    static final String RESPOND_EVENT = "/schemas/respond-event.schema.json";
    static final String ERROR = "/schemas/error.schema.json";

    private static final ConnectTimings TIMINGS = new ConnectTimings(12, 39, 4);
    private static final RttStats RTT = RttStats.of(List.of(0.412, 0.5, 1.25, 0.73));

    private static final CandidateInfo HOST_A = new CandidateInfo("host", "udp", "10.99.0.1", 50123, null, null);
    private static final CandidateInfo HOST_B = new CandidateInfo("host", "udp", "10.99.0.2", 40211, null, null);
    private static final CandidateInfo SRFLX = new CandidateInfo("srflx", "udp", "198.51.100.7", 61000, null,
            "stun:203.0.113.2:3478");
    private static final CandidateInfo PRFLX_V6 = new CandidateInfo("prflx", "tcp", "2001:db8::7", 9, null, null);
    private static final CandidateInfo RELAY_TCP = new CandidateInfo("relay", "udp", "203.0.113.2", 50002, "tcp",
            "turn:203.0.113.2:3478?transport=tcp");
    /** A remote relay candidate: libwebrtc knows neither the client's TURN transport nor the URL. */
    private static final CandidateInfo RELAY_REMOTE = new CandidateInfo("relay", "udp", "203.0.113.2", 50004, null,
            null);

    private static ConnectionStats connection(CandidateInfo local, CandidateInfo remote) {
        return new ConnectionStats(0.8, local, remote, "DTLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "server", "controlling", 4_300_000, 120_000);
    }

    private static Throughput up() {
        return new Throughput("up", 4L << 20, 412_345_678L);
    }

    private static Throughput down() {
        return new Throughput("down", 2L << 20, 1_500_000_001L);
    }

    private static CheckReport report(String mode, List<Throughput> throughput, ConnectionStats connection) {
        return new CheckReport(mode, TIMINGS, RTT, 20, 20, throughput, connection);
    }

    /** A report and the failures CheckCommand would pass with it. */
    record Case(CheckReport report, List<CheckFailure> failures) {
        ObjectNode json() {
            return CheckJson.of(report, failures);
        }
    }

    private static Case passing(CheckReport r) {
        return new Case(r, CheckThresholds.none().evaluate(r));
    }

    private static Case evaluated(CheckReport r, CheckThresholds t) {
        List<CheckFailure> failures = t.evaluate(r);
        assertFalse(failures.isEmpty(), "fixture must fail: " + r);
        return new Case(r, failures);
    }

    /** Relay path, 2 of 3 pings lost, both directions, and every threshold missed (85, 86, 87). */
    static Case allThreeFailures() {
        CheckReport r = new CheckReport("local", TIMINGS, RttStats.of(List.of(3.0)), 3, 1, List.of(up(), down()),
                connection(RELAY_TCP, RELAY_REMOTE));
        return evaluated(r, new CheckThresholds("direct", 1000.0, 0.5));
    }

    static Stream<Named<Case>> cases() {
        return Stream.of(
                Named.of("local, up, direct host pair, passed", passing(report("local", List.of(up()),
                        connection(HOST_A, HOST_B)))),
                Named.of("remote, --bidir, srflx/prflx over IPv6, passed", passing(report("remote",
                        List.of(up(), down()), connection(SRFLX, PRFLX_V6)))),
                Named.of("remote, --reverse, no stats: connection null, --expect direct fails",
                        evaluated(report("remote", List.of(down()), null), new CheckThresholds("direct", null,
                                null))),
                Named.of("local, relay over TURN/tcp, passed with --expect relay", new Case(report("local",
                        List.of(up()), connection(RELAY_TCP, HOST_B)), new CheckThresholds("relay", null, null)
                        .evaluate(report("local", List.of(up()), connection(RELAY_TCP, HOST_B))))),
                Named.of("relay, pings lost, every threshold missed", allThreeFailures()),
                Named.of("remote, rtt_ms too high only", evaluated(report("remote", List.of(up()),
                        connection(HOST_A, HOST_B)), new CheckThresholds(null, null, 0.1))),
                Named.of("stats without pair, RTT or DTLS details; zero-time throughput", passing(new CheckReport(
                        "local", new ConnectTimings(0, 0, 0), RTT, 1, 1, List.of(new Throughput("up", 5, 0)),
                        new ConnectionStats(null, null, null, null, null, null, null, 0, 0)))),
                Named.of("--media both, below --expect 1080p and --min-bitrate: media_low", evaluated(
                        new CheckReport("local", TIMINGS, RTT, 20, 20, List.of(), connection(HOST_A, HOST_B),
                                MediaFixtures.report(MediaFixtures.video(720, 1500, 30, 0),
                                        MediaFixtures.audio(0, 1))),
                        new CheckThresholds(null, null, null, "1080p", 2000.0))),
                Named.of("--media audio, no estimate, passed", passing(new CheckReport("remote", TIMINGS, RTT, 20,
                        20, List.of(), connection(HOST_A, HOST_B), new MediaReport(3, List.of(), null,
                        MediaFixtures.audio(0, 1), null, List.of(), null,
                        MediaFixtures.report(null, MediaFixtures.audio(0, 1)).verdict())))),
                Named.of("candidates without port or type", passing(report("remote", List.of(up()),
                        connection(new CandidateInfo(null, null, null, null, null, null), HOST_B)))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyReportShapeMatchesTheSchema(Case c) {
        JsonSchemas.assertValid(CHECK, c.json().toPrettyString());
    }

    @Test
    void fixturesCoverEveryFailureKindAndShape() {
        List<Case> all = cases().map(Named::getPayload).toList();
        for (CheckFailure.Kind k : CheckFailure.Kind.values()) {
            assertTrue(all.stream().anyMatch(c -> c.failures().stream().anyMatch(f -> f.kind() == k)), k.id());
        }
        for (String mode : List.of("local", "remote")) {
            assertTrue(all.stream().anyMatch(c -> c.report().mode().equals(mode)), mode);
        }
        for (String path : List.of("direct", "relay")) {
            assertTrue(all.stream().anyMatch(c -> path.equals(c.report().path())), path);
        }
        assertTrue(all.stream().anyMatch(c -> c.report().connection() == null), "null connection");
        assertTrue(all.stream().anyMatch(c -> c.failures().isEmpty()), "passed");
        for (int n = 1; n <= 2; n++) {
            int size = n;
            assertTrue(all.stream().anyMatch(c -> c.report().throughput().size() == size), size + " directions");
        }
        ObjectNode relay = allThreeFailures().json();
        assertEquals("tcp", relay.at("/connection/local_candidate/relay_protocol").asText(), relay.toString());
        assertFalse(relay.at("/connection/remote_candidate").has("relay_protocol"), relay.toString());
    }

    /** A change to a valid document that the schema must reject; {@code passing} picks the base document. */
    record Tampering(boolean passing, Consumer<ObjectNode> change) {
    }

    static Stream<Named<Tampering>> tamperings() {
        return Stream.of(
                failing("unknown mode", d -> d.put("mode", "loopback")),
                failing("unknown direction", d -> throughput(d, 0).put("direction", "sideways")),
                failing("unknown path", d -> connection(d).put("path", "tcp")),
                failing("unknown candidate type", d -> local(d).put("type", "mdns")),
                failing("unknown relay protocol", d -> local(d).put("relay_protocol", "quic")),
                failing("unknown failure kind", d -> failure(d).put("kind", "loss_high")),
                failing("missing required field", d -> d.remove("passed")),
                failing("missing connection (null is written, never left out)", d -> d.remove("connection")),
                failing("missing phase", d -> ((ObjectNode) d.get("connect_phases_ms")).remove("ice_dtls")),
                failing("missing ice_rtt_ms in connection", d -> connection(d).remove("ice_rtt_ms")),
                failing("missing failure message", d -> failure(d).remove("message")),
                failing("candidate without address", d -> local(d).remove("address")),
                failing("extra top-level property", d -> d.put("extra", 1)),
                failing("extra connection property", d -> connection(d).put("bytes_sent", 1)),
                failing("extra candidate property", d -> local(d).put("priority", 1)),
                failing("extra failure property", d -> failure(d).put("hint", "try again")),
                failing("extra throughput property", d -> throughput(d, 0).put("bits_per_second", 8)),
                failing("schema_version 2", d -> d.put("schema_version", 2)),
                failing("passed although failures", d -> d.put("passed", true)),
                passing("failed without failures", d -> d.put("passed", false)),
                failing("failure kind and exit code disagree", d -> failure(d).put("exit_code", 86)),
                failing("exit code 0 in a failure", d -> failure(d).put("exit_code", 0)),
                failing("connect_ms not an integer", d -> d.put("connect_ms", 55.5)),
                failing("bytes_per_second not an integer", d -> throughput(d, 0).put("bytes_per_second", 1.5)),
                failing("rtt as a string", d -> ((ObjectNode) d.get("rtt_ms")).put("avg", "3.0")),
                failing("negative throughput", d -> throughput(d, 0).put("bytes", -1)),
                failing("port out of range", d -> local(d).put("port", 70000)),
                failing("down before up", d -> {
                    throughput(d, 0).put("direction", "down");
                    throughput(d, 1).put("direction", "up");
                }),
                failing("three directions", d -> directions(d).add(throughput(d, 0).deepCopy())),
                failing("no throughput", d -> directions(d).removeAll()),
                failing("null where never null", d -> d.putNull("mode")),
                passing("connection as a string", d -> d.put("connection", "direct")));
    }

    private static Named<Tampering> failing(String name, Consumer<ObjectNode> change) {
        return Named.of(name, new Tampering(false, change));
    }

    private static Named<Tampering> passing(String name, Consumer<ObjectNode> change) {
        return Named.of(name, new Tampering(true, change));
    }

    private static ObjectNode connection(ObjectNode doc) {
        return (ObjectNode) doc.get("connection");
    }

    private static ObjectNode local(ObjectNode doc) {
        return (ObjectNode) doc.at("/connection/local_candidate");
    }

    private static ObjectNode failure(ObjectNode doc) {
        return (ObjectNode) doc.at("/failures/0");
    }

    private static ArrayNode directions(ObjectNode doc) {
        return (ArrayNode) doc.get("throughput");
    }

    private static ObjectNode throughput(ObjectNode doc, int i) {
        return (ObjectNode) doc.at("/throughput/" + i);
    }

    @ParameterizedTest
    @MethodSource("tamperings")
    void tamperedDocumentIsRejected(Tampering t) {
        ObjectNode doc = t.passing() ? passing(report("remote", List.of(up(), down()), connection(HOST_A, HOST_B)))
                .json() : allThreeFailures().json();
        assertEquals(List.of(), JsonSchemas.violations(CHECK, doc), "the untouched document must be valid");
        t.change().accept(doc);
        assertFalse(JsonSchemas.violations(CHECK, doc).isEmpty(), "accepted:\n" + doc.toPrettyString());
    }

    @Test
    void violationsNameTheOffendingField() {
        ObjectNode doc = allThreeFailures().json();
        throughput(doc, 1).put("direction", "sideways");
        List<String> found = JsonSchemas.violations(CHECK, doc);
        assertTrue(found.stream().anyMatch(v -> v.startsWith("/throughput/1/direction:")), found.toString());
    }

    // rtcat respond --json: one line per check served (RespondCommand.report writes it; RespondCheckIT checks
    // real lines, these check the schema's strictness).

    private static final String SERVED = """
            {"schema_version":1,"event":"check-served","check":1,"checker":"u-3f2a","connect_ms":230,"pongs":10,\
            "bytes_received":3145728,"bytes_sent":0,"ended_by":"bye","media":null}""";

    @Test
    void aRespondEventMatchesItsSchema() {
        JsonSchemas.assertValid(RESPOND_EVENT, SERVED);
        for (String endedBy : List.of("closed", "time limit")) {
            JsonSchemas.assertValid(RESPOND_EVENT, SERVED.replace("\"bye\"", "\"" + endedBy + "\""));
        }
        JsonSchemas.assertValid(RESPOND_EVENT, SERVED.replace("\"media\":null",
                "\"media\":{\"video_frames\":290,\"audio_samples\":480000}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"check-served\"=\"check\"", "\"bye\"=\"timeout\"", "\"check\":1=\"check\":0",
        "\"pongs\":10=\"pongs\":10.5", ",\"bytes_sent\":0=", "\"ended_by\"=\"extra\":1,\"ended_by\"",
        ",\"media\":null=", "\"media\":null=\"media\":{\"video_frames\":-1,\"audio_samples\":0}"})
    void aTamperedRespondEventIsRejected(String replacement) {
        String[] fromTo = replacement.split("=", 2);
        String tampered = SERVED.replace(fromTo[0], fromTo[1]);
        assertFalse(tampered.equals(SERVED), replacement);
        assertFalse(JsonSchemas.violations(RESPOND_EVENT, tampered).isEmpty(), "accepted: " + tampered);
    }

    // --json error documents, from real command lines that fail before any peer is created.

    static Stream<Named<String[]>> failingCommandLines() {
        return Stream.of(
                Named.of("check: bad --expect (BaseCommand, with hint)",
                        new String[] {"check", "--local", "--expect", "tcp", "--json"}),
                Named.of("check: unknown flag (Main's parameter handler)", new String[] {"check", "--bogus", "--json"}),
                Named.of("respond: bad --max-seconds", new String[] {"respond", "--max-seconds", "0", "--json"}),
                Named.of("respond: --code with --room", new String[] {"respond", "--code", "7-a-b", "--room", "x",
                    "--json"}));
    }

    @ParameterizedTest
    @MethodSource("failingCommandLines")
    void realErrorDocumentsMatchTheErrorSchema(String[] args) throws Exception {
        CliRun run = CliRun.of(args);
        assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
        JsonSchemas.assertValid(ERROR, run.out());
        assertEquals(run.exitCode(), run.json().get("exit_code").asInt(), run.toString());
    }

    @Test
    void tamperedErrorDocumentsAreRejected() {
        String doc = "{\"schema_version\":1,\"error\":\"timed out waiting for the responder\","
                + "\"hint\":\"is it running?\",\"exit_code\":75}";
        JsonSchemas.assertValid(ERROR, doc);
        JsonSchemas.assertValid(ERROR, "{\"schema_version\":1,\"error\":\"interrupted\",\"exit_code\":130}");
        JsonSchemas.assertValid(ERROR, "{\"schema_version\":1,\"error\":\"interrupted (SIGTERM)\",\"exit_code\":143}");
        JsonSchemas.assertValid(ERROR, "{\"schema_version\":1,\"error\":\"the sender cancelled: interrupted\",\"exit_code\":79}");
        for (String bad : List.of(doc.replace("75", "0"), doc.replace("\"schema_version\":1,", ""), doc.replace("75", "86"), doc.replace("75", "\"75\""),
                doc.replace("\"hint\":\"is it running?\",", "\"hint\":null,"),
                doc.replace("\"error\":\"timed out waiting for the responder\",", ""),
                doc.replace("}", ",\"ok\":false}"))) {
            assertFalse(JsonSchemas.violations(ERROR, bad).isEmpty(), "accepted: " + bad);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CHECK, RESPOND_EVENT, ERROR})
    void schemaIsAValidDraft202012Schema(String schema) {
        assertEquals(List.of(), JsonSchemas.metaSchemaViolations(schema));
    }

    /** The schemas double as documentation: every property they declare says what it means. */
    @ParameterizedTest
    @ValueSource(strings = {CHECK, RESPOND_EVENT, ERROR})
    void everyPropertyHasADescription(String resource) {
        assertEquals(List.of(), JsonSchemas.undocumentedProperties(resource));
    }
}
