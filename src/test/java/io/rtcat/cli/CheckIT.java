package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.testing.Coturn;
import io.rtcat.testing.JsonSchemas;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** rtcat check --local: two real peers in this process, pings, a throughput run and thresholds. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheckIT {

    private static final String CHECK_SCHEMA = "/schemas/check.schema.json";
    private static final String ERROR_SCHEMA = "/schemas/error.schema.json";

    @Test
    void aDirectCheckPassesWithAllFigures() throws Exception {
        CliRun run = CliRun.of("check", "--local", "--size", "4M", "--expect", "direct", "--json", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid(CHECK_SCHEMA, run.out());
        JsonNode doc = run.json();
        assertEquals(1, doc.get("schema_version").asInt());
        assertEquals("local", doc.get("mode").asText());
        assertTrue(doc.get("connect_ms").asLong() > 0, run.toString());
        JsonNode phases = doc.get("connect_phases_ms");
        long sum = 0;
        for (String p : new String[] {"signaling", "ice_dtls", "channel"}) {
            assertTrue(phases.get(p).asLong() >= 0, p + ": " + run);
            sum += phases.get(p).asLong();
        }
        assertEquals(doc.get("connect_ms").asLong(), sum, run.toString());
        JsonNode rtt = doc.get("rtt_ms");
        for (String f : new String[] {"min", "avg", "max", "p95", "stddev"}) {
            assertTrue(rtt.get(f).isNumber(), f + ": " + run);
        }
        assertTrue(rtt.get("min").asDouble() > 0, run.toString());
        assertTrue(rtt.get("min").asDouble() <= rtt.get("avg").asDouble(), run.toString());
        assertTrue(rtt.get("avg").asDouble() <= rtt.get("max").asDouble(), run.toString());
        assertTrue(rtt.get("p95").asDouble() <= rtt.get("max").asDouble(), run.toString());
        JsonNode pings = doc.get("pings");
        assertEquals(20, pings.get("sent").asInt());
        assertEquals(20, pings.get("answered").asInt());
        assertEquals(0, pings.get("lost").asInt());
        JsonNode up = doc.get("throughput").get(0);
        assertEquals(1, doc.get("throughput").size(), run.toString());
        assertEquals("up", up.get("direction").asText());
        assertEquals(4L << 20, up.get("bytes").asLong());
        assertTrue(up.get("bytes_per_second").asLong() > 0, run.toString());
        assertTrue(up.get("seconds").asDouble() > 0, run.toString());
        JsonNode connection = doc.get("connection");
        assertEquals("direct", connection.get("path").asText());
        assertEquals("host", connection.get("local_candidate").get("type").asText());
        assertEquals("udp", connection.get("local_candidate").get("protocol").asText());
        assertTrue(doc.get("passed").asBoolean());
        assertEquals(0, doc.get("failures").size());
        assertFalse(doc.has("error"));
    }

    @Test
    void humanReportAndCount() {
        CliRun run = CliRun.of("check", "--local", "--size", "1M", "--count", "5", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Path:     direct  host udp"), run.toString());
        assertTrue(run.out().contains("Pings:    5 sent, 5 answered, 0 lost"), run.toString());
        assertTrue(run.out().contains("Ping RTT: min "), run.toString());
        assertTrue(run.out().contains("MB/s"), run.toString());
        assertTrue(run.out().matches("(?s)Connected in .* \\(signaling \\d+, ICE\\+DTLS \\d+, channel open \\d+ ms\\).*"),
                run.toString());
        assertTrue(run.out().contains("Upload:   1 MiB in "), run.toString());
    }

    @Test
    void expectingARelayOnADirectPathIs85() throws Exception {
        CliRun run = CliRun.of("check", "--local", "--size", "1M", "--count", "3", "--expect", "relay", "--json",
                "-q");
        assertEquals(ExitCode.CHECK_PATH, run.exitCode(), run.toString());
        JsonSchemas.assertValid(CHECK_SCHEMA, run.out());
        assertEquals("path_mismatch", run.json().get("failures").get(0).get("kind").asText());
        assertFalse(run.json().get("passed").asBoolean());
        assertTrue(run.err().contains("rtcat: check failed: expected a relay path"), run.toString());
    }

    @Test
    void anUnreachableThroughputIs86() throws Exception {
        CliRun run = CliRun.of("check", "--local", "--size", "1M", "--count", "3", "--min-throughput", "100000",
                "--json", "-q");
        assertEquals(ExitCode.CHECK_THROUGHPUT, run.exitCode(), run.toString());
        JsonSchemas.assertValid(CHECK_SCHEMA, run.out());
        assertEquals("throughput_low", run.json().get("failures").get(0).get("kind").asText());
    }

    @Test
    void anImpossibleRttIs87() throws Exception {
        // 1 ns: a data-channel round trip through SCTP, DTLS and UDP always takes longer.
        CliRun run = CliRun.of("check", "--local", "--size", "256K", "--count", "3", "--max-rtt", "0.000001",
                "--json", "-q");
        assertEquals(ExitCode.CHECK_RTT, run.exitCode(), run.toString());
        JsonSchemas.assertValid(CHECK_SCHEMA, run.out());
        assertEquals("rtt_high", run.json().get("failures").get(0).get("kind").asText());
    }

    @Test
    void liveStatsAndAStatsDump(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path dump = dir.resolve("stats.json");
        CliRun run = CliRun.of("check", "--local", "--duration", "1.2", "--count", "3", "--stats-interval", "0.3",
                "--stats-dump", dump.toString(), "-q");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().lines().filter(l -> l.matches("\\[\\s*[0-9.]+ s\\] rtt .*")).count() >= 2,
                "a stats line every 0.3 s: " + run);
        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dump.toFile());
        assertTrue(doc.get("peers").has("checker"), doc.toString().substring(0, 200));
        assertTrue(doc.get("peers").has("responder"), doc.toString().substring(0, 200));
    }

    @Test
    void bothDirectionsLocally() throws Exception {
        CliRun run = CliRun.of("check", "--local", "--bidir", "--size", "2M", "--count", "3", "--json", "-q");
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid(CHECK_SCHEMA, run.out());
        JsonNode tp = run.json().get("throughput");
        assertEquals(2, tp.size(), run.toString());
        assertEquals("up", tp.get(0).get("direction").asText());
        assertEquals("down", tp.get(1).get("direction").asText());
        assertEquals(2L << 20, tp.get(1).get("bytes").asLong());
    }

    @Test
    void withoutAPlaceToMeetItIsAUsageError() {
        CliRun run = CliRun.of("check");
        assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--from HOST:PORT or --signal URL"), run.toString());
        assertTrue(run.err().contains("rtcat respond"), run.toString());
    }

    @Test
    void badExpectIsAUsageError() {
        CliRun run = CliRun.of("check", "--local", "--expect", "tcp");
        assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--expect"), run.toString());
    }

    @Test
    void aRealTurnServerRelaysTheData() throws Exception {
        try (Coturn coturn = Coturn.start(3490)) {
            CliRun run = CliRun.of("check", "--local", "--relay-only", "--ice", coturn.turnUrl("udp"), "--size", "2M",
                    "--count", "10", "--expect", "relay", "--json", "-q");
            assertEquals(0, run.exitCode(), run.toString());
            JsonSchemas.assertValid(CHECK_SCHEMA, run.out());
            JsonNode doc = run.json();
            assertEquals("relay", doc.get("connection").get("path").asText(), run.toString());
            assertEquals("relay", doc.get("connection").get("local_candidate").get("type").asText());
            assertEquals("udp", doc.get("connection").get("local_candidate").get("relay_protocol").asText());
            assertEquals(10, doc.get("pings").get("answered").asInt());
            assertTrue(doc.get("throughput").get(0).get("bytes_per_second").asLong() > 0);
        }
    }

    @Test
    void aStoppedTurnServerFailsWithinTheTimeout() throws Exception {
        String url;
        try (Coturn coturn = Coturn.start(3491)) {
            url = coturn.turnUrl("udp");
        }
        long start = System.nanoTime();
        CliRun run = CliRun.of("check", "--local", "--relay-only", "--ice", url, "--expect", "relay", "--timeout",
                "5", "--json", "-q");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(Set.of(ExitCode.UNAVAILABLE, ExitCode.TIMEOUT).contains(run.exitCode()), run.toString());
        JsonSchemas.assertValid(ERROR_SCHEMA, run.out());
        assertTrue(run.json().has("error"), run.toString());
        assertEquals(run.exitCode(), run.json().get("exit_code").asInt());
        assertTrue(seconds < 15, "gave up after " + seconds + " s: " + run);
    }
}
