package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.stats.CandidateInfo;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.TransferReport;
import io.rtcat.testing.JsonSchemas;
import io.rtcat.transfer.BatchResult;
import io.rtcat.transfer.PacingSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The send/receive report, the --json-stream events and loopback's report against their schemas in
 * src/main/resources/schemas; every schema there is sound and demands {@code schema_version}.
 */
class TransferJsonSchemaTest {

    static final String TRANSFER = "/schemas/transfer.schema.json";
    static final String EVENT = "/schemas/transfer-event.schema.json";
    static final String LOOPBACK = "/schemas/loopback.schema.json";
    private static final String SHA = "ab".repeat(32);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final ConnectionStats CONNECTION = new ConnectionStats(0.4,
            new CandidateInfo("host", "udp", "10.99.0.1", 50123, null, null),
            new CandidateInfo("host", "udp", "10.99.0.2", 40211, null, null), "DTLS 1.2",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "client", "controlling", 4_000_000, 90_000);
    private static final BatchResult RESULT = new BatchResult(List.of(
            new BatchResult.FileResult("a.bin", null, "a.bin", 3_000_000, 0, SHA, true),
            new BatchResult.FileResult("d/b.bin", null, null, 10, 10, SHA, true)), 3_000_010, 10, 0, 1_500_000_000L);
    private static final Invitation EMBEDDED = new Invitation("7-crossbow-orbit", null,
            List.of("10.99.0.1:40123", "[fd00::1]:40123"),
            null, List.of("rtcat receive 7-crossbow-orbit", "rtcat receive 7-crossbow-orbit --from 10.99.0.1:40123",
                    "rtcat receive 7-crossbow-orbit --from fd00::1:40123"),
            "http://10.99.0.1:40123/#7-crossbow-orbit", true);
    private static final Invitation ROOM = new Invitation(null, "demo", List.of(), "ws://host:8765/",
            List.of("rtcat receive --room demo --signal ws://host:8765/"), null, false);

    private static String report(SessionReport.Mode mode, Invitation invitation, SessionReport.Streams streams) {
        StringWriter out = new StringWriter();
        SessionReport.print(new PrintWriter(out), mode, "sent", RESULT, 120, CONNECTION, streams, invitation);
        return out.toString();
    }

    @Test
    void sendAndReceiveReportsMatch() throws Exception {
        String sent = report(SessionReport.Mode.JSON, EMBEDDED, SessionReport.Streams.ONE);
        JsonSchemas.assertValid(TRANSFER, sent);
        JsonNode doc = MAPPER.readTree(sent);
        assertEquals("7-crossbow-orbit", doc.path("ready").path("code").asText());
        assertEquals(2, doc.path("ready").path("from").size());
        JsonSchemas.assertValid(TRANSFER, report(SessionReport.Mode.JSON, ROOM,
                new SessionReport.Streams(3, "auto: 40 ms RTT, one stream per 15 ms: 3 streams",
                        new long[] {100, 200, 300})));
        JsonSchemas.assertValid(TRANSFER, report(SessionReport.Mode.JSON, null, SessionReport.Streams.ONE));
    }

    @Test
    void theSendersPacingMatches() throws Exception {
        for (PacingSummary pacing : List.of(new PacingSummary(true, 2.4e7, 101.2, 3.0e7, 6.1e7, 1234.5),
                new PacingSummary(false, 0, Double.NaN, 0, 0, 0))) {
            StringWriter out = new StringWriter();
            SessionReport.print(new PrintWriter(out), SessionReport.Mode.JSON, "sent", RESULT, 120, CONNECTION,
                    SessionReport.Streams.ONE, EMBEDDED, pacing);
            JsonSchemas.assertValid(TRANSFER, out.toString());
            JsonNode p = MAPPER.readTree(out.toString()).path("pacing");
            assertEquals(pacing.active(), p.path("active").asBoolean());
            assertEquals(Double.isNaN(pacing.minRttMillis()), p.path("min_rtt_ms").isNull());
        }
    }

    @Test
    void aTamperedReportDoesNot() throws Exception {
        ObjectNode doc = (ObjectNode) MAPPER.readTree(report(SessionReport.Mode.JSON, EMBEDDED,
                SessionReport.Streams.ONE));
        doc.remove("schema_version");
        assertFalse(JsonSchemas.violations(TRANSFER, doc).isEmpty());
        ObjectNode conn = (ObjectNode) MAPPER.readTree(report(SessionReport.Mode.JSON, null,
                SessionReport.Streams.ONE));
        ((ObjectNode) conn.get("connection")).put("rtt_ms", 1.0);
        assertFalse(JsonSchemas.violations(TRANSFER, conn).isEmpty(), "one RTT name: ice_rtt_ms");
    }

    @Test
    void everyEventMatchesAndTheSenderSaysReadyFirst() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(EMBEDDED.readyEvent().toString());
        lines.add(ROOM.readyEvent().toString());
        StringWriter out = new StringWriter();
        Console console = new Console(new PrintWriter(out), new PrintWriter(new StringWriter()), false);
        GlobalOptions global = new GlobalOptions();
        try (BatchProgress progress = new BatchProgress(console, global, true, "send")) {
            progress.onBatchStarted(2, -1);
            progress.onFileStarted("a.bin", -1, 0);
            progress.onBytes(1000);
            progress.onFileDone("a.bin", 1000);
        }
        lines.addAll(out.toString().lines().toList());
        lines.add(report(SessionReport.Mode.JSON_STREAM, null, SessionReport.Streams.ONE).strip());
        lines.add(JsonDocument.event("error").put("error", "peer went away").put("exit_code", 69).toString());
        lines.add(JsonDocument.event("stats").put("t", 0.5).put("ice_rtt_ms", 0.4).put("send_bytes_per_second", 1)
                .put("receive_bytes_per_second", 2).put("bytes_sent", 3).put("bytes_received", 4).put("path", "direct")
                .put("local_candidate", "host/udp").toString());
        assertEquals(9, lines.size(), lines.toString());
        for (String line : lines) {
            JsonSchemas.assertValid(EVENT, line);
        }
        assertFalse(JsonSchemas.violations(EVENT, "{\"schema_version\":1,\"event\":\"made-up\"}").isEmpty());
        assertFalse(JsonSchemas.violations(EVENT, "{\"event\":\"progress\",\"bytes\":1}").isEmpty());
    }

    @Test
    void loopbackReportMatches() {
        TransferReport r = new TransferReport("rtcat-loopback.bin", 16 << 20, SHA, true, 301, 710_000_000L,
                700_000_000L, 65536, 4 << 20, 16 << 20, CONNECTION);
        JsonSchemas.assertValid(LOOPBACK, ReportPrinter.toJson(r).toPrettyString());
        TransferReport noStats = new TransferReport("x", 1, SHA, false, 1, 1, 1, 1, 1, 1, null);
        JsonSchemas.assertValid(LOOPBACK, ReportPrinter.toJson(noStats).toPrettyString());
    }

    @ParameterizedTest
    @ValueSource(strings = {TRANSFER, EVENT, LOOPBACK, "/schemas/check.schema.json", "/schemas/probe.schema.json",
            "/schemas/error.schema.json", "/schemas/respond-event.schema.json", "/schemas/doctor.schema.json"})
    void everySchemaIsSoundAndDemandsItsVersion(String schema) {
        assertEquals(List.of(), JsonSchemas.metaSchemaViolations(schema));
        assertFalse(JsonSchemas.violations(schema, "{\"event\":\"progress\",\"bytes\":1}").isEmpty());
        assertTrue(JsonSchemas.violations(schema, "{\"schema_version\":2}").size() > 0);
    }
}
