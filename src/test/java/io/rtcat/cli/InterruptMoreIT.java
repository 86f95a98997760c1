package io.rtcat.cli;

import static io.rtcat.json.Mappers.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.testing.JsonSchemas;
import io.rtcat.testing.RtcatProcess;
import io.rtcat.testing.SignalingProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupts InterruptIT does not cover, with real rtcat processes: during the code exchange (PAKE), a
 * {@code respond --json} stream, and a {@code send -} blocked on a pipe that gives nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptMoreIT {

    private static final String FROM = "--from (\\S+)";
    /** How soon the peer must stop after the signal: it is told, no timeout is involved. */
    private static final long PEER_STOPS_WITHIN_S = 5;

    @TempDir
    static Path shared;
    static Path small;

    @TempDir
    Path tmp;

    @BeforeAll
    static void smallFile() throws IOException {
        small = Files.write(shared.resolve("small.bin"), new byte[64 * 1024]);
    }

    private static RtcatProcess rtcat(Map<String, String> env, String... args) throws IOException {
        return RtcatProcess.start(RtcatProcess.DEFAULT_SIGNALS, env, null, args);
    }

    private static List<String> errorLines(RtcatProcess p) {
        return p.stderr().lines().filter(l -> l.startsWith("rtcat:") || l.startsWith("hint:")).toList();
    }

    private static JsonNode oneErrorDocument(RtcatProcess p) throws IOException {
        JsonNode doc = JSON.readTree(p.stdout()); // throws on anything but JSON
        JsonSchemas.assertValid("/schemas/error.schema.json", p.stdout());
        return doc;
    }

    /** The signaling server's port in a sender's "--from host:port". */
    private static URI upstream(String from) {
        return URI.create("ws://127.0.0.1:" + from.substring(from.lastIndexOf(':') + 1) + "/");
    }

    /** Waits (bounded) until the proxy has held back the receiver's last PAKE round: both sides are in PAKE. */
    private static void awaitHeld(SignalingProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (proxy.changed() == 0) {
            assertTrue(System.nanoTime() < deadline, "the receiver never reached the PAKE's last round");
            Thread.sleep(20);
        }
    }

    @Test
    void sigintAtTheReceiverDuringPakeStopsTheSenderAtOnce() throws Exception {
        interruptDuringPake("18-quiet-heron", false, "INT", 130);
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList(), "nothing written before the code was checked");
        }
    }

    @Test
    void sigtermAtTheSenderWhileTheReceiverIsInPakeStopsTheReceiverAtOnce() throws Exception {
        interruptDuringPake("18-brave-otter", true, "TERM", 143);
    }

    /**
     * Holds the receiver's last PAKE round back so both sides are in the PAKE, signals one side ({@code atSender}
     * or the receiver), and checks that it ends with {@code exit} and one error line while the other stops at
     * once (79) because it was told "the sender/receiver cancelled".
     */
    private void interruptDuringPake(String code, boolean atSender, String signal, int exit) throws Exception {
        try (RtcatProcess send = rtcat(Map.of(), "send", small.toString(), "--code", code, "--json")) {
            String from = send.awaitStderr(FROM, 30);
            try (SignalingProxy proxy = SignalingProxy.holdingTheLastPakeRound(upstream(from));
                    RtcatProcess receive = rtcat(Map.of(), "receive", code, "--from", "127.0.0.1:" + proxy.getPort(),
                            "--out", tmp.toString(), "--yes", "--json")) {
                RtcatProcess interrupted = atSender ? send : receive;
                RtcatProcess told = atSender ? receive : send;
                awaitHeld(proxy);
                interrupted.signal(signal);
                int toldExit = told.await(PEER_STOPS_WITHIN_S);
                assertEquals(exit, interrupted.await(30), interrupted.toString());
                JsonNode doc = oneErrorDocument(interrupted);
                assertEquals(exit, doc.get("exit_code").asInt(), doc.toString());
                assertTrue(doc.get("error").asText().endsWith("(SIG" + signal + ")"), doc.toString());
                assertEquals(List.of("rtcat: " + doc.get("error").asText()), errorLines(interrupted),
                        interrupted.toString());
                JsonNode toldDoc = oneErrorDocument(told);
                String who = atSender ? "sender" : "receiver";
                System.out.println((atSender ? "receiver" : "sender") + ", its " + who + " interrupted in PAKE: exit "
                        + toldExit + ", " + toldDoc);
                assertEquals(79, toldExit, told.toString());
                assertTrue(toldDoc.get("error").asText().startsWith("the " + who + " cancelled"), toldDoc.toString());
            }
        }
    }

    @Test
    void respondJsonEndsWithOneErrorEventLineOnSigterm() throws Exception {
        try (RtcatProcess respond = rtcat(Map.of(), "respond", "--json")) {
            respond.awaitStderr("rtcat check --from (\\S+)", 30);
            respond.signal("TERM");
            assertEquals(143, respond.await(30), respond.toString());
            List<String> lines = respond.stdout().lines().toList();
            assertEquals(1, lines.size(), respond.toString());
            JsonSchemas.assertValid("/schemas/respond-event.schema.json", lines.get(0));
            JsonNode event = JSON.readTree(lines.get(0));
            assertEquals("error", event.get("event").asText(), event.toString());
            assertEquals(143, event.get("exit_code").asInt(), event.toString());
            assertTrue(event.get("error").asText().endsWith("(SIGTERM)"), event.toString());
        }
    }

    @Test
    void sigintAtASenderWaitingOnAnEmptyPipeTellsTheReceiverAtOnce() throws Exception {
        // stdin is a pipe from this JVM, kept open and empty: the sender blocks reading it
        try (RtcatProcess send = rtcat(Map.of(), "send", "-", "--json")) {
            String from = send.awaitStderr(FROM, 30);
            String code = send.awaitStderr("rtcat receive (\\d+-[a-z]+-[a-z]+)", 5);
            try (RtcatProcess receive = rtcat(Map.of("RTCAT_CODE", code), "receive", "--from", from, "--out",
                    tmp.toString(), "--yes", "--json-stream")) {
                receive.awaitStdout("(\"event\":\"file-start\")", 60);
                send.signal("INT");
                long signalled = System.nanoTime();
                int receiveExit = receive.await(PEER_STOPS_WITHIN_S);
                int sendExit = send.await(30);
                long sendMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
                System.out.println("send - on an empty pipe: exit " + sendExit + " " + sendMs + " ms after SIGINT");
                assertEquals(130, sendExit, send.toString());
                JsonNode doc = oneErrorDocument(send);
                assertEquals(130, doc.get("exit_code").asInt(), doc.toString());
                assertTrue(doc.get("error").asText().endsWith("(SIGINT)"), doc.toString());
                // one error line (the notes before it, e.g. "rtcat: met the receiver ...", do not count)
                assertEquals(List.of("rtcat: " + doc.get("error").asText()), errorLines(send).stream()
                        .filter(l -> l.contains("(SIGINT)") || l.startsWith("hint:")).toList(), send.toString());
                assertEquals(79, receiveExit, receive.toString());
                List<String> events = receive.stdout().lines().toList();
                JsonNode last = JSON.readTree(events.get(events.size() - 1));
                assertTrue(last.get("error").asText().startsWith("the sender cancelled"), last.toString());
                assertFalse(send.stderr().contains("Exception"), send.toString());
            }
        }
    }
}
