package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.testing.Coturn;
import io.rtcat.testing.JsonSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * rtcat probe against a real coturn on 10.99.0.1 inside the test namespace (scripts/netns-run). There is no NAT
 * here: host and server share the veth subnet, so STUN answers with the host's own address.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeIT {

    private static final int CLOSED_PORT = 3999;
    private static final String PROBE_SCHEMA = "/schemas/probe.schema.json";
    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.start(3478);
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void withoutServersFindsHostCandidates() throws Exception {
        CliRun run = CliRun.of("probe", "--json", "--quiet", "--expect", "host");
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid(PROBE_SCHEMA, run.out());
        JsonNode doc = run.json();
        assertEquals(1, doc.get("schema_version").asInt());
        JsonNode host = doc.get("host");
        assertTrue(host.get("candidates").size() >= 1, run.toString());
        assertEquals("host", host.at("/candidates/0/type").asText());
        assertTrue(host.at("/candidates/0/priority").asLong() > 0, run.toString());
        assertTrue(host.get("complete_ms").isNumber(), run.toString());
        assertTrue(host.get("first_candidate_ms").asLong() <= host.get("complete_ms").asLong());
        assertEquals("unknown", doc.at("/mapping/result").asText());
        System.out.printf("probe host-only: first %d ms, complete %d ms%n", host.get("first_candidate_ms").asLong(),
                host.get("complete_ms").asLong());
    }

    @Test
    void stunWithoutNatReportsNoNat() throws Exception {
        CliRun run = CliRun.of("probe", "--ice", coturn.stunUrl(), "--expect", "host,srflx", "--json", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid(PROBE_SCHEMA, run.out());
        JsonNode server = run.json().at("/servers/0");
        assertEquals("stun", server.get("kind").asText());
        assertEquals("no_nat", server.get("status").asText(), run.toString());
        assertEquals("no-nat", run.json().at("/mapping/result").asText());
        CliRun text = CliRun.of("probe", "--ice", coturn.stunUrl(), "--quiet");
        assertTrue(text.out().contains("no NAT"), text.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void turnGivesARelay(String transport) throws Exception {
        CliRun run = CliRun.of("probe", "--ice", coturn.turnUrl(transport), "--expect", "host,relay", "--json",
                "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid(PROBE_SCHEMA, run.out());
        JsonNode server = run.json().at("/servers/0");
        assertEquals("ok", server.get("status").asText(), run.toString());
        assertEquals(transport, server.get("transport").asText());
        JsonNode relay = null;
        for (JsonNode c : server.get("candidates")) {
            if (c.get("type").asText().equals("relay")) {
                relay = c;
            }
        }
        assertTrue(relay != null, run.toString());
        assertEquals(Coturn.HOST, relay.get("address").asText());
        assertTrue(relay.get("server_url").asText().startsWith("turn:" + Coturn.HOST + ":" + coturn.port()),
                run.toString());
        assertTrue(relay.get("server_url").asText().endsWith("transport=" + transport), run.toString());
        assertTrue(relay.get("related_address").isTextual(), run.toString());
        assertTrue(server.get("first_candidate_ms").asLong() < 5000, run.toString());
        System.out.printf("probe turn %s: first relay %d ms, complete %s ms%n", transport,
                server.get("first_candidate_ms").asLong(), server.get("complete_ms"));
    }

    @Test
    void wrongPasswordExits81AndNamesTheCredentials() throws Exception {
        long start = System.nanoTime();
        CliRun run = CliRun.of("probe", "--ice", "turn:" + Coturn.USER + ":wrong@" + Coturn.HOST + ":"
                + coturn.port(), "--expect", "relay", "--quiet");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ExitCode.PROBE_TURN_AUTH, run.exitCode(), run.toString());
        assertTrue(run.err().contains("rejected the credentials: wrong username or password"), run.toString());
        assertTrue(run.err().contains("hint: check the TURN username and password"), run.toString());
        assertTrue(run.out().contains("error 401"), run.toString());
        assertFalse(run.out().contains("wrong@") || run.err().contains(":wrong"), "password leaked\n" + run);
        assertTrue(millis < 8000, "took " + millis + " ms (the default timeout is 10 s)");
    }

    @Test
    void closedTurnPortOverTcpFailsAtOnceWith82() throws Exception {
        long start = System.nanoTime();
        CliRun run = CliRun.of("probe", "--ice", "turn:" + Coturn.USER + ":" + Coturn.PASS + "@" + Coturn.HOST + ":"
                + CLOSED_PORT + "?transport=tcp", "--expect", "relay", "--json", "--quiet");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ExitCode.PROBE_TURN_UNREACHABLE, run.exitCode(), run.toString());
        JsonSchemas.assertValid(PROBE_SCHEMA, run.out());
        JsonNode server = run.json().at("/servers/0");
        assertEquals("unreachable", server.get("status").asText());
        assertEquals(701, server.at("/errors/0/code").asInt(), run.toString());
        assertTrue(millis < 8000, "took " + millis + " ms (the default timeout is 10 s)");
    }

    @Test
    void silentTurnPortOverUdpIs82AtTheTimeout() throws Exception {
        long start = System.nanoTime();
        CliRun run = CliRun.of("probe", "--ice", "turn:" + Coturn.USER + ":" + Coturn.PASS + "@" + Coturn.HOST + ":"
                + CLOSED_PORT, "--expect", "host,relay", "--timeout", "2", "--json", "--quiet");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ExitCode.PROBE_TURN_UNREACHABLE, run.exitCode(), run.toString());
        JsonSchemas.assertValid(PROBE_SCHEMA, run.out());
        JsonNode doc = run.json();
        assertEquals("no_answer", doc.at("/servers/0/status").asText(), run.toString());
        List<String> kinds = doc.get("failures").findValuesAsText("kind");
        assertEquals(List.of("turn_unreachable", "missing_type", "timed_out"), kinds, run.toString());
        assertEquals(2, doc.get("timeout_seconds").asInt(), run.toString());
        // Ending before the default timeout (10 s) would have shows that --timeout was honoured; a tighter bound
        // measures the machine's load (engine start and close add seconds on two busy cores), not rtcat.
        assertTrue(millis >= 2000 && millis < 10_000, "took " + millis + " ms");
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        CliRun run = CliRun.of("probe", "--ice", coturn.stunUrl(), "--ice", coturn.turnUrl("udp"), "--json",
                "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid(PROBE_SCHEMA, run.out());
        JsonNode doc = run.json();
        for (String field : List.of("schema_version", "timeout_seconds", "host", "servers", "mapping",
                "candidate_types", "expect", "failures", "ok", "exit_code")) {
            assertTrue(doc.has(field), field + "\n" + run);
        }
        assertEquals(10, doc.get("timeout_seconds").asInt());
        assertEquals(2, doc.get("servers").size());
        for (JsonNode s : doc.get("servers")) {
            for (String field : List.of("url", "kind", "status", "ok", "summary", "first_candidate_ms",
                    "complete_ms", "candidates", "errors")) {
                assertTrue(s.has(field), field + "\n" + run);
            }
        }
        assertFalse(run.out().contains(Coturn.PASS), "password leaked\n" + run);
    }

    @Test
    void badExpectIsAUsageError() {
        CliRun run = CliRun.of("probe", "--expect", "host,bogus");
        assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("unknown candidate type 'bogus'"), run.toString());
    }

    @Test
    void ciExampleScriptPrintsOneLineAndKeepsTheExitCode() throws Exception {
        Result ok = script(coturn.stunUrl(), coturn.turnUrl("udp"));
        assertEquals(0, ok.exit(), ok.out());
        assertEquals(1, ok.out().lines().count(), ok.out());
        assertTrue(ok.out().startsWith("OK: host,srflx,relay found;"), ok.out());
        Result bad = script("turn:" + Coturn.USER + ":wrong@" + Coturn.HOST + ":" + coturn.port());
        assertEquals(ExitCode.PROBE_TURN_AUTH, bad.exit(), bad.out());
        assertTrue(bad.out().startsWith("FAIL: the TURN server"), bad.out());
        assertTrue(bad.out().contains("(exit 81)"), bad.out());
    }

    private record Result(int exit, String out) {
    }

    private static Result script(String... urls) throws Exception {
        Path out = Files.createTempFile("probe-example", ".txt");
        try {
            List<String> command = new java.util.ArrayList<>(List.of("examples/ci-reachability-probe.sh"));
            command.addAll(List.of(urls));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            String java = System.getenv().getOrDefault("RTCAT_REAL_JAVA", "java");
            pb.environment().put("RTCAT", java + " -jar " + System.getProperty("rtcat.jar", "target/rtcat.jar"));
            Process p = pb.start();
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ci-reachability-probe.sh hung");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
