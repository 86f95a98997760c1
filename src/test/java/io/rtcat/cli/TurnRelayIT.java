package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.testing.Coturn;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --relay-only forces the data through a real coturn TURN server. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TurnRelayIT {

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

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void relayOnlySendsThroughTheTurnServer(String transport) throws Exception {
        CliRun run = CliRun.of("loopback", "--size", "4M", "--relay-only", "--ice", coturn.turnUrl(transport),
                "--json", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode connection = run.json().get("connection");
        assertEquals("relay", connection.get("path").asText(), run.toString());
        assertEquals("relay", connection.get("local_candidate").get("type").asText());
        assertEquals(transport, connection.get("local_candidate").get("relay_protocol").asText(), run.toString());
        assertTrue(run.json().get("verified").asBoolean());
    }

    @Test
    void separateCredentialFlagsWork() throws Exception {
        CliRun run = CliRun.of("loopback", "--size", "1M", "--relay-only",
                "--ice", "turn:" + Coturn.HOST + ":" + coturn.port(),
                "--ice-user", Coturn.USER, "--ice-pass", Coturn.PASS, "--json", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("relay", run.json().get("connection").get("path").asText());
    }

    @Test
    void wrongTurnCredentialsFailFastWithAClearMessage() {
        long start = System.nanoTime();
        CliRun run = CliRun.of("loopback", "--size", "1M", "--relay-only", "--ice",
                "turn:" + Coturn.USER + ":wrong@" + Coturn.HOST + ":" + coturn.port(), "--timeout", "30", "-q");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(ExitCode.UNAVAILABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("rejected the credentials"), run.toString());
        assertTrue(run.err().contains("hint: check the TURN username and password"), run.toString());
        assertTrue(seconds < 15, "took " + seconds + " s");
    }

    @Test
    void withStunTheDirectPathIsStillPreferred() throws Exception {
        CliRun run = CliRun.of("loopback", "--size", "1M", "--ice", coturn.stunUrl(), "--ice",
                coturn.turnUrl("udp"), "--json", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("direct", run.json().get("connection").get("path").asText());
    }
}
