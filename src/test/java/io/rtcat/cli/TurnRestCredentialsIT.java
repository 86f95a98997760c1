package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.Coturn;
import io.rtcat.testing.RtcatProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TURN REST credentials for real: coturn with use-auth-secret, `rtcat signal --turn-secret-file` with the same
 * secret, and a respond/check pair forced through the relay with no TURN flags of their own: the only way they can
 * allocate a relay is with the credentials the signaling server handed out on join.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class TurnRestCredentialsIT {

    private static final String SECRET = "coturn-and-rtcat-share-this";
    private static Coturn coturn;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.startWithAuthSecret(3479, SECRET);
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    private RtcatProcess signal(String secret) throws Exception {
        Path file = Files.writeString(tmp.resolve("turn-" + secret.length() + ".secret"), secret + "\n");
        return RtcatProcess.start("signal", "--port", "0", "--bind", "127.0.0.1", "--turn-secret-file",
                file.toString(), "--turn-url", "turn:" + Coturn.HOST + ":" + coturn.port() + "?transport=udp",
                "--turn-ttl", "10m", "--turn-for-anyone");
    }

    @Test
    void peersRelayThroughCoturnWithOnlyTheHandedOutCredentials() throws Exception {
        try (RtcatProcess signal = signal(SECRET)) {
            String url = signal.awaitStderr("listening on (ws://\\S+/)", 30);
            assertTrue(signal.stderr().contains("handing out TURN credentials"), signal.toString());
            try (RtcatProcess respond = RtcatProcess.start("respond", "--signal", url, "--room", "turn-rest",
                    "--once", "--relay-only")) {
                respond.awaitStderr("(Waiting for checks)", 30);
                try (RtcatProcess check = RtcatProcess.start("check", "--signal", url, "--room", "turn-rest",
                        "--relay-only", "--expect", "relay", "--size", "256K", "--count", "3", "--json", "-q")) {
                    assertEquals(0, check.await(90), check.toString());
                    JsonNode report = new ObjectMapper().readTree(check.stdout());
                    JsonNode connection = report.get("connection");
                    assertEquals("relay", connection.get("path").asText(), check.toString());
                    assertEquals("relay", connection.get("local_candidate").get("type").asText(), check.toString());
                }
                assertEquals(0, respond.await(30), respond.toString());
            }
        }
    }

    @Test
    void credentialsSignedWithAnotherSecretAreRefusedByTheTurnServer() throws Exception {
        try (RtcatProcess signal = signal("not-the-coturn-secret")) {
            String url = signal.awaitStderr("listening on (ws://\\S+/)", 30);
            try (RtcatProcess respond = RtcatProcess.start("respond", "--signal", url, "--room", "wrong-secret",
                    "--once", "--relay-only", "--timeout", "15")) {
                respond.awaitStderr("(Waiting for checks)", 30);
                try (RtcatProcess check = RtcatProcess.start("check", "--signal", url, "--room", "wrong-secret",
                        "--relay-only", "--timeout", "15", "--size", "64K", "--count", "1", "-q")) {
                    assertEquals(ExitCode.UNAVAILABLE, check.await(60), check.toString());
                    assertTrue(check.stderr().contains("rejected the credentials"), check.toString());
                }
            }
        }
    }

    @Test
    void relayOnlyWithoutAnyTurnServerSaysWhereOneCanComeFrom() throws Exception {
        try (RtcatProcess signal = RtcatProcess.start("signal", "--port", "0", "--bind", "127.0.0.1")) {
            String url = signal.awaitStderr("listening on (ws://\\S+/)", 30);
            try (RtcatProcess check = RtcatProcess.start("check", "--signal", url, "--room", "no-turn",
                    "--relay-only", "--timeout", "10", "-q")) {
                assertEquals(ExitCode.USAGE, check.await(60), check.toString());
                assertTrue(check.stderr().contains("--relay-only needs a TURN server"), check.toString());
                assertTrue(check.stderr().contains("--turn-secret-file"), check.toString());
            }
        }
    }
}
