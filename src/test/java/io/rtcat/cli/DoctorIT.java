package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.testing.Coturn;
import io.rtcat.testing.JsonSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `rtcat doctor` in this JVM against a real coturn in the test namespace (no NAT: the lab's address is this
 * machine's). The NAT kinds themselves are NatBehaviourTest's (and, not yet, a netlab test's).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DoctorIT {

    private static Coturn coturn;

    @TempDir
    Path tmp;

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
    void aHealthyServerGivesAGoodVerdictInJsonAndJunit() throws Exception {
        Path junit = tmp.resolve("doctor.xml");
        CliRun run = CliRun.of("doctor", "--ice", coturn.stunUrl(), "--ice", coturn.turnUrl("udp"), "--timeout", "5",
                "--json", "--junit", junit.toString());
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid("/schemas/doctor.schema.json", run.out());
        JsonNode doc = run.json();
        assertTrue(doc.path("verdict").path("ok").asBoolean(), run.toString());
        assertEquals("no-nat", doc.path("nat").get(0).path("mapping").asText(), run.toString());
        JsonNode relay = doc.path("relays").get(0);
        assertTrue(relay.path("ok").asBoolean(), run.toString());
        assertEquals(5, relay.path("pings_answered").asInt(), run.toString());
        assertTrue(relay.path("bytes_per_second").asLong() > 0, run.toString());
        System.out.println("[DoctorIT] relay through local coturn: " + relay);
        String xml = Files.readString(junit);
        assertTrue(xml.contains("failures=\"0\""), xml);
    }

    @Test
    void aWrongTurnPasswordIsTheVerdict() throws Exception {
        CliRun run = CliRun.of("doctor", "--ice", "turn:" + Coturn.USER + ":nope@" + Coturn.HOST + ":" + coturn.port(),
                "--timeout", "5");
        assertEquals(ExitCode.PROBE_TURN_AUTH, run.exitCode(), run.toString());
        String verdict = run.out().lines().filter(l -> l.startsWith("Verdict:")).findFirst().orElseThrow();
        assertTrue(verdict.contains("rejected the credentials"), run.toString());
    }

    @Test
    void aDeadStunServerIsNamed() throws Exception {
        CliRun run = CliRun.of("doctor", "--ice", "stun:10.99.0.1:9", "--timeout", "3");
        assertEquals(ExitCode.PROBE_STUN_UNREACHABLE, run.exitCode(), run.toString());
        assertEquals(1, run.out().lines().filter(l -> l.startsWith("Verdict:")).count(), run.toString());
        assertTrue(run.out().contains("no STUN server answered"), run.toString());
    }
}
