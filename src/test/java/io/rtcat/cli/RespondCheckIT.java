package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.JsonSchemas;
import io.rtcat.testing.RtcatProcess;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `rtcat respond` and `rtcat check` as two real processes meeting through respond's embedded server. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RespondCheckIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first "rtcat check --from HOST:PORT" line respond prints. */
    private static final String FROM = "rtcat check --from (\\S+)";

    /** stdout as one JSON document, after checking it against {@code schema}. */
    private static JsonNode json(RtcatProcess p, String schema) throws Exception {
        JsonSchemas.assertValid(schema, p.stdout());
        return JSON.readTree(p.stdout());
    }

    @Test
    void oneResponderServesSeveralChecksInTurn() throws Exception {
        try (RtcatProcess respond = RtcatProcess.start("respond", "--max-checks", "2", "--json")) {
            String from = respond.awaitStderr(FROM, 30);
            try (RtcatProcess up = RtcatProcess.start("check", "--from", from, "--size", "3M", "--count", "10",
                    "--expect", "direct", "--json", "-q")) {
                assertEquals(0, up.await(90), up.toString());
                JsonNode doc = json(up, "/schemas/check.schema.json");
                assertEquals("remote", doc.get("mode").asText());
                assertEquals(10, doc.get("pings").get("answered").asInt(), up.toString());
                assertTrue(doc.get("rtt_ms").get("min").asDouble() > 0, up.toString());
                assertEquals(List.of("up"), directions(doc));
                assertEquals(3L << 20, doc.get("throughput").get(0).get("bytes").asLong());
                assertEquals("direct", doc.get("connection").get("path").asText());
                long phases = 0;
                for (JsonNode v : doc.get("connect_phases_ms")) {
                    phases += v.asLong();
                }
                assertEquals(doc.get("connect_ms").asLong(), phases, up.toString());
            }
            try (RtcatProcess both = RtcatProcess.start("check", "--from", from, "--bidir", "--duration", "1.5",
                    "--count", "3", "--json", "-q")) {
                assertEquals(0, both.await(90), both.toString());
                JsonNode doc = json(both, "/schemas/check.schema.json");
                assertEquals(List.of("up", "down"), directions(doc));
                for (JsonNode t : doc.get("throughput")) {
                    assertTrue(t.get("bytes").asLong() > 0, both.toString());
                    assertTrue(t.get("seconds").asDouble() >= 1.5, both.toString());
                }
            }
            assertEquals(0, respond.await(30), respond.toString());
            String[] lines = respond.stdout().strip().split("\n");
            assertEquals(2, lines.length, respond.toString());
            for (String line : lines) {
                JsonSchemas.assertValid("/schemas/respond-event.schema.json", line);
            }
            JsonNode first = JSON.readTree(lines[0]);
            assertEquals("check-served", first.get("event").asText());
            assertEquals(10, first.get("pongs").asLong());
            assertEquals(3L << 20, first.get("bytes_received").asLong());
            assertEquals("bye", first.get("ended_by").asText());
            JsonNode second = JSON.readTree(lines[1]);
            assertTrue(second.get("bytes_sent").asLong() > 0, respond.toString());
        }
    }

    @Test
    void downloadWithACodePhrase() throws Exception {
        String code = "42-orbit-crossbow";
        try (RtcatProcess respond = RtcatProcess.start("respond", "--code", code, "--once")) {
            String from = respond.awaitStderr(FROM, 30);
            assertTrue(respond.stderr().contains("--code " + code), respond.toString());
            try (RtcatProcess down = RtcatProcess.start("check", "--from", from, "--code", code, "--reverse",
                    "--size", "2M", "--count", "3")) {
                assertEquals(0, down.await(90), down.toString());
                assertTrue(down.stdout().contains("Download: 2 MiB in "), down.toString());
            }
            assertEquals(0, respond.await(30), respond.toString());
        }
    }

    @Test
    void aWrongCodeIsRefusedAndTheResponderKeepsServing() throws Exception {
        try (RtcatProcess respond = RtcatProcess.start("respond", "--code", "42-orbit-crossbow", "--max-checks",
                "1")) {
            String from = respond.awaitStderr(FROM, 30);
            try (RtcatProcess wrong = RtcatProcess.start("check", "--from", from, "--code", "42-orbit-anchor",
                    "--size", "64K", "--count", "1", "--timeout", "20")) {
                int exit = wrong.await(60);
                assertTrue(exit != 0, wrong.toString());
                assertTrue(wrong.stderr().contains("code"), wrong.toString());
            }
            respond.awaitStderr("(check failed)", 30);
            try (RtcatProcess right = RtcatProcess.start("check", "--from", from, "--code", "42-orbit-crossbow",
                    "--size", "64K", "--count", "1", "--timeout", "60")) {
                assertEquals(0, right.await(90), right.toString());
            }
            assertEquals(0, respond.await(30), respond.toString());
        }
    }

    /** Before: a responder with --code let anyone guess again and again (only backing off). */
    @Test
    void theResponderStopsAfterMaxCodeFailures() throws Exception {
        try (RtcatProcess respond = RtcatProcess.start("respond", "--code", "42-orbit-crossbow",
                "--max-code-failures", "1")) {
            String from = respond.awaitStderr(FROM, 30);
            try (RtcatProcess wrong = RtcatProcess.start("check", "--from", from, "--code", "42-orbit-anchor",
                    "--size", "64K", "--count", "1", "--timeout", "20")) {
                assertTrue(wrong.await(60) != 0, wrong.toString());
            }
            assertEquals(ExitCode.FAILED, respond.await(30), respond.toString());
            assertTrue(respond.stderr().contains("stopped after 1 failed code check"), respond.toString());
        }
    }

    /** Before: with --bind at a non-loopback address, send and respond connected their own client to 127.0.0.1. */
    @Test
    void theEmbeddedServerWorksWhenBoundToOneAddress() throws Exception {
        try (RtcatProcess respond = RtcatProcess.start("respond", "--bind", "10.99.0.1", "--once")) {
            String from = respond.awaitStderr(FROM, 30);
            assertTrue(from.startsWith("10.99.0.1:"), from);
            try (RtcatProcess check = RtcatProcess.start("check", "--from", from, "--size", "64K", "--count", "1",
                    "--timeout", "30")) {
                assertEquals(0, check.await(60), check.toString());
            }
            assertEquals(0, respond.await(30), respond.toString());
        }
    }

    @Test
    void aCheckWithNobodyToAnswerTimesOut() throws Exception {
        try (RtcatProcess signal = RtcatProcess.start("signal", "--port", "0", "--bind", "127.0.0.1")) {
            String url = signal.awaitStderr("listening on (ws://\\S+/)", 30);
            try (RtcatProcess check = RtcatProcess.start("check", "--signal", url, "--room", "empty", "--timeout", "3",
                    "--json", "-q")) {
                assertEquals(ExitCode.TIMEOUT, check.await(60), check.toString());
                JsonNode doc = json(check, "/schemas/error.schema.json");
                assertEquals(ExitCode.TIMEOUT, doc.get("exit_code").asInt());
                assertTrue(doc.get("error").asText().contains("waiting for"), check.toString());
            }
        }
    }

    @Test
    void badFlagsAreUsageErrors() throws Exception {
        for (String[] args : List.of(new String[] {"check", "--from", "h:1", "--local"},
                new String[] {"check", "--from", "h:1", "--reverse", "--bidir"},
                new String[] {"check", "--from", "h:1", "--duration", "0"},
                new String[] {"check", "--from", "nope"},
                new String[] {"respond", "--max-seconds", "0"},
                new String[] {"check", "--local", "--stats-interval", "-1"},
                new String[] {"respond", "--code", "7-a-b", "--room", "x"})) {
            try (RtcatProcess p = RtcatProcess.start(args)) {
                assertEquals(ExitCode.USAGE, p.await(30), p.toString());
                assertTrue(p.stderr().startsWith("rtcat: "), p.toString());
                assertTrue(p.stderr().lines().count() <= 2, "one line (and a hint): " + p);
            }
        }
    }

    private static List<String> directions(JsonNode doc) {
        return doc.get("throughput").findValuesAsText("direction");
    }
}
