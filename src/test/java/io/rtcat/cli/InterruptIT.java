package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.JsonSchemas;
import io.rtcat.testing.RtcatProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C, SIGTERM and a closed pipe, with real rtcat processes (the shaded jar; the failsafe JVM already runs in
 * a private network namespace): exit codes, stdout that is exactly one JSON document (or byte-exact data), one
 * line on stderr, and the peer told at once (exit 79) rather than after a timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptIT {

    private static final String FROM = "--from (\\S+)";
    private static final String CODE = "rtcat receive (\\d+-[a-z]+-[a-z]+)";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How soon the peer must stop after the signal: the cancel is in-band, no timeout is involved. */
    private static final long PEER_STOPS_WITHIN_S = 5;
    /** Big enough that a transfer is still running when a progress event has been seen (about 1 s here). */
    private static final int BIG = 48 << 20;

    @TempDir
    static Path shared;
    static Path big;
    /** For what fails on its own early (a closed pipe, a full 4 MiB disk): less to hash and send. */
    static Path medium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void bigFile() throws IOException {
        byte[] data = new byte[BIG];
        new Random(18).nextBytes(data);
        big = Files.write(shared.resolve("big.bin"), data);
        medium = Files.write(shared.resolve("medium.bin"), java.util.Arrays.copyOf(data, 8 << 20));
    }

    private static RtcatProcess rtcat(Map<String, String> env, String... args) throws IOException {
        return RtcatProcess.start(RtcatProcess.DEFAULT_SIGNALS, env, null, args);
    }

    /** A sender waiting for its receiver, with the receiver's arguments ready. */
    private record Waiting(RtcatProcess send, String from, String code) {
        RtcatProcess receive(String... args) throws IOException {
            List<String> all = new ArrayList<>(List.of("receive", "--from", from));
            all.addAll(List.of(args));
            return rtcat(Map.of("RTCAT_CODE", code), all.toArray(new String[0]));
        }
    }

    private static Waiting send(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("send"));
        all.addAll(List.of(args));
        RtcatProcess send = rtcat(Map.of(), all.toArray(new String[0]));
        String from = send.awaitStderr(FROM, 30);
        return new Waiting(send, from, send.awaitStderr(CODE, 5));
    }

    /** The lines rtcat itself wrote to stderr ("rtcat: ..."), without the sender's instructions. */
    private static List<String> errorLines(RtcatProcess p) {
        return p.stderr().lines().filter(l -> l.startsWith("rtcat:") || l.startsWith("hint:")).toList();
    }

    private static JsonNode oneDocument(RtcatProcess p) throws IOException {
        JsonNode doc = JSON.readTree(p.stdout()); // throws on anything but JSON (e.g. native noise)
        assertTrue(doc.isObject(), p.toString());
        if (doc.has("error")) {
            JsonSchemas.assertValid("/schemas/error.schema.json", p.stdout());
        }
        return doc;
    }

    @Test
    void sigtermWhileWaitingForTheReceiverPrintsOneJsonDocument() throws Exception {
        Waiting w = send(big.toString(), "--json");
        try (RtcatProcess send = w.send()) {
            // fd 1 is stderr while rtcat runs: whatever native code prints cannot reach the JSON
            Path fd = Path.of("/proc/" + send.pid() + "/fd");
            assertEquals(Files.readSymbolicLink(fd.resolve("2")), Files.readSymbolicLink(fd.resolve("1")));
            send.signal("TERM");
            assertEquals(143, send.await(30), send.toString());
            JsonNode doc = oneDocument(send);
            assertEquals(143, doc.get("exit_code").asInt(), doc.toString());
            assertTrue(doc.get("error").asText().contains("interrupted"), doc.toString());
            assertTrue(doc.get("error").asText().endsWith("(SIGTERM)"), doc.toString());
            assertEquals(1, errorLines(send).size(), send.toString());
            assertFalse(send.stderr().contains("signaling connection closed"), send.toString());
        }
    }

    @Test
    void sigintWhileWaitingEndsTheJsonStreamWithAnErrorEvent() throws Exception {
        Waiting w = send(big.toString(), "--json-stream");
        try (RtcatProcess send = w.send()) {
            send.signal("INT");
            assertEquals(130, send.await(30), send.toString());
            List<String> lines = send.stdout().lines().toList();
            JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
            assertEquals("error", last.get("event").asText(), send.toString());
            assertEquals(130, last.get("exit_code").asInt());
            assertTrue(last.get("error").asText().endsWith("(SIGINT)"), last.toString());
            for (String line : lines) {
                JSON.readTree(line); // every line is an event
            }
            assertEquals(List.of("rtcat: " + last.get("error").asText()), errorLines(send));
        }
    }

    /** Waits until the receiver's --json-stream shows data arriving. */
    private static void awaitProgress(RtcatProcess receive) throws InterruptedException {
        receive.awaitStdout("(\"event\":\"progress\",\"bytes\":[1-9]\\d{6,})", 60);
    }

    @Test
    void sigtermAtTheSenderMidTransferStopsTheReceiverAtOnceAndTheRerunResumes() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Waiting w = send(big.toString(), "--json");
        long signalled;
        try (RtcatProcess send = w.send();
                RtcatProcess receive = w.receive("--out", out.toString(), "--yes", "--json-stream")) {
            awaitProgress(receive);
            send.signal("TERM");
            signalled = System.nanoTime();
            assertEquals(79, receive.await(PEER_STOPS_WITHIN_S), receive.toString());
            long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            assertEquals(143, send.await(30), send.toString());
            JsonNode doc = oneDocument(send);
            assertTrue(doc.get("error").asText().startsWith("sending was interrupted in big.bin after "), doc.toString());
            List<String> events = receive.stdout().lines().toList();
            JsonNode last = JSON.readTree(events.get(events.size() - 1));
            assertEquals("error", last.get("event").asText());
            assertTrue(last.get("error").asText().startsWith("the sender cancelled: interrupted after "), last.toString());
            assertTrue(last.get("error").asText().endsWith("the partial file is kept for resuming"), last.toString());
            System.out.println("receiver stopped " + stoppedMs + " ms after the sender's SIGTERM");
        }
        assertFalse(Files.exists(out.resolve("big.bin")), "nothing under the final name");
        long kept = Files.size(out.resolve(".big.bin.rtcat-part"));
        assertTrue(kept > 0, "the part file is kept");

        Waiting again = send(big.toString());
        try (RtcatProcess send = again.send();
                RtcatProcess receive = again.receive("--out", out.toString(), "--yes", "--json")) {
            assertEquals(0, receive.await(90), receive.toString());
            assertEquals(0, send.await(30), send.toString());
            assertTrue(oneDocument(receive).get("resumed_bytes").asLong() > 0, receive.toString());
        }
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(out.resolve("big.bin")));
    }

    @Test
    void sigintAtTheReceiverMidTransferStopsTheSenderAtOnce() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Waiting w = send(big.toString(), "--json");
        try (RtcatProcess send = w.send();
                RtcatProcess receive = w.receive("--out", out.toString(), "--yes", "--json-stream")) {
            awaitProgress(receive);
            receive.signal("INT");
            assertEquals(79, send.await(PEER_STOPS_WITHIN_S), send.toString());
            assertEquals(130, receive.await(30), receive.toString());
            JsonNode doc = oneDocument(send);
            assertTrue(doc.get("error").asText().startsWith("the receiver cancelled: interrupted"), doc.toString());
            assertEquals(79, doc.get("exit_code").asInt());
            List<String> events = receive.stdout().lines().toList();
            JsonNode last = JSON.readTree(events.get(events.size() - 1));
            assertEquals(130, last.get("exit_code").asInt(), receive.toString());
            assertTrue(last.get("error").asText().startsWith("receiving was interrupted after "), last.toString());
            assertEquals(1, errorLines(receive).size(), receive.toString());
        }
        assertFalse(Files.exists(out.resolve("big.bin")));
        assertTrue(Files.size(out.resolve(".big.bin.rtcat-part")) > 0);
    }

    @Test
    void ctrlCAtThePromptSavesNothingAndTheSenderHearsDeclined() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Waiting w = send(big.toString(), "--json");
        // script(1) gives the receiver a terminal; ^C typed into it is SIGINT from the terminal driver
        List<String> cmd = new ArrayList<>(RtcatProcess.DEFAULT_SIGNALS);
        cmd.addAll(RtcatProcess.command("receive", "--from", w.from(), "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", shellQuote(cmd), "/dev/null")
                .redirectErrorStream(true);
        pb.environment().put("RTCAT_CODE", w.code());
        Process tty = pb.start();
        try (RtcatProcess send = w.send(); OutputStream keys = tty.getOutputStream()) {
            StringBuilder screen = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            byte[] buf = new byte[4096];
            while (!screen.toString().contains("[y/N]")) {
                assertTrue(System.nanoTime() < deadline && tty.isAlive(), "no prompt: " + screen);
                int n = tty.getInputStream().read(buf); // the prompt ends without a newline; read what comes
                if (n < 0) {
                    assertTrue(tty.waitFor(10, TimeUnit.SECONDS), "no prompt, terminal closed: " + screen);
                    throw new AssertionError("the receiver ended (exit " + tty.exitValue()
                            + ") without showing the prompt; the screen showed:\n" + screen + "\nsender: " + send);
                }
                screen.append(new String(buf, 0, n));
            }
            try {
                keys.write(3); // ^C
                keys.flush();
            } catch (IOException e) {
                // the terminal is gone: the receiver ended on its own between the prompt and the key
                tty.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the receiver ended (exit " + (tty.isAlive() ? "none yet" : tty.exitValue())
                        + ") before ^C was typed; the screen showed:\n" + screen
                        + new String(tty.getInputStream().readAllBytes()) + "\nsender: " + send, e);
            }
            assertEquals(1, send.await(PEER_STOPS_WITHIN_S), send.toString());
            assertTrue(tty.waitFor(30, TimeUnit.SECONDS), screen.toString());
            assertEquals(130, tty.exitValue(), screen + new String(tty.getInputStream().readAllBytes()));
            assertEquals("the receiver declined the transfer", oneDocument(send).get("error").asText());
        } finally {
            tty.destroyForcibly();
        }
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(), files.toList(), "nothing written");
        }
    }

    private static String shellQuote(List<String> words) {
        StringBuilder s = new StringBuilder();
        for (String w : words) {
            s.append('\'').append(w.replace("'", "'\\''")).append("' ");
        }
        return s.toString();
    }

    @Test
    void aClosedStdoutEndsQuietlyWith141AndTellsTheSender() throws Exception {
        Waiting w = send(medium.toString(), "--json");
        Path head = tmp.resolve("head.bin");
        Path status = tmp.resolve("status");
        List<String> receive = new ArrayList<>(RtcatProcess.DEFAULT_SIGNALS);
        receive.addAll(RtcatProcess.command("receive", "--from", w.from(), "--yes", "--stdout"));
        String pipeline = shellQuote(receive) + " | head -c 100 > '" + head + "'; echo \"${PIPESTATUS[0]}\" > '"
                + status + "'";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", pipeline).redirectError(tmp.resolve("err").toFile());
        pb.environment().put("RTCAT_CODE", w.code());
        Process shell = pb.start();
        try (RtcatProcess send = w.send()) {
            assertEquals(79, send.await(60), send.toString());
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS));
            assertEquals("141", Files.readString(status).trim(), Files.readString(tmp.resolve("err")));
            assertEquals("", Files.readString(tmp.resolve("err")), "quiet");
            byte[] first = new byte[100];
            System.arraycopy(Files.readAllBytes(medium), 0, first, 0, 100);
            assertArrayEquals(first, Files.readAllBytes(head), "the bytes that went out are the file's");
            JsonNode doc = oneDocument(send);
            assertEquals("the receiver cancelled: its output was closed", doc.get("error").asText().replaceAll(
                    " after \\d+ bytes$", ""), doc.toString());
        } finally {
            shell.destroyForcibly();
        }
    }

    @Test
    void aFullDiskIsReportedToBothSidesAndThePartIsKept() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("small-disk"));
        Path listing = tmp.resolve("listing");
        Waiting w = send(medium.toString(), "--json");
        // A 4 MiB tmpfs in a mount namespace of its own: gone when the receiver's shell ends.
        List<String> receive = RtcatProcess.command("receive", "--from", w.from(), "--yes", "--json", "--out",
                out.toString());
        String script = "mount -t tmpfs -o size=4m rtcat-full '" + out + "' || exit 99; " + shellQuote(receive)
                + "; code=$?; ls -a '" + out + "' > '" + listing + "'; exit $code";
        ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "bash", "-c", script)
                .redirectError(tmp.resolve("err").toFile()).redirectOutput(tmp.resolve("out.json").toFile());
        pb.environment().put("RTCAT_CODE", w.code());
        Process r = pb.start();
        try (RtcatProcess send = w.send()) {
            assertTrue(r.waitFor(60, TimeUnit.SECONDS));
            String err = Files.readString(tmp.resolve("err"));
            assertEquals(74, r.exitValue(), err);
            JsonNode doc = JSON.readTree(tmp.resolve("out.json").toFile());
            assertTrue(doc.get("error").asText().contains("No space left on device"), doc.toString());
            assertTrue(doc.get("error").asText().endsWith("the partial file is kept for resuming"), doc.toString());
            assertEquals(1, send.await(PEER_STOPS_WITHIN_S), send.toString());
            assertTrue(oneDocument(send).get("error").asText().contains("No space left on device"), send.toString());
        } finally {
            r.destroyForcibly();
        }
        List<String> left = Files.readAllLines(listing);
        assertTrue(left.contains(".medium.bin.rtcat-part"), left.toString());
        assertFalse(left.contains("medium.bin"), left.toString());
    }

    @Test
    void signalDrainsOnSigtermAndTheWaitingSenderHearsAtOnce() throws Exception {
        try (RtcatProcess server = rtcat(Map.of(), "signal", "--port", "0", "--json", "-v")) {
            String port = server.awaitStdout("\"port\":(\\d+)", 30);
            try (RtcatProcess send = rtcat(Map.of(), "send", big.toString(), "--signal", "ws://127.0.0.1:" + port
                    + "/", "--room", "interrupt-it", "--json")) {
                server.awaitStderr("(joined room)", 30); // a live room
                server.signal("TERM");
                assertEquals(0, server.await(10), server.toString());
                int code = send.await(PEER_STOPS_WITHIN_S);
                assertEquals(69, code, send.toString());
                JsonNode doc = oneDocument(send);
                assertEquals(69, doc.get("exit_code").asInt());
                assertTrue(doc.get("error").asText().contains("shut down") && doc.get("error").asText().contains(
                        "1001"), doc.toString());
            }
        }
    }

    @Test
    void checkAndRespondTellEachOtherWhenInterrupted() throws Exception {
        try (RtcatProcess respond = rtcat(Map.of(), "respond", "--json", "-v")) {
            String from = respond.awaitStderr("rtcat check --from (\\S+)", 30);
            // SIGINT at the checker during its upload: the responder hears "cancel" and serves the next one
            try (RtcatProcess check = rtcat(Map.of(), "check", "--from", from, "--duration", "30", "--count", "3",
                    "--json")) {
                respond.awaitStderr("(receiving the checker's upload)", 60);
                check.signal("INT");
                assertEquals(130, check.await(30), check.toString());
                JsonNode doc = oneDocument(check);
                assertEquals(130, doc.get("exit_code").asInt(), doc.toString());
                respond.awaitStdout("(\"ended_by\":\"cancelled by the checker: interrupted\")", PEER_STOPS_WITHIN_S);
            }
            // SIGTERM at the busy responder during a download: the checker stops at once with 79
            try (RtcatProcess check = rtcat(Map.of(), "check", "--from", from, "--reverse", "--duration", "30",
                    "--count", "3", "--json")) {
                respond.awaitStderr("(sending [^\\n]*to the checker)", 60);
                respond.signal("TERM");
                assertEquals(79, check.await(PEER_STOPS_WITHIN_S), check.toString());
                assertEquals(143, respond.await(30), respond.toString());
                JsonNode doc = oneDocument(check);
                assertEquals("the responder cancelled: interrupted", doc.get("error").asText(), doc.toString());
            }
        }
    }

    @Test
    void anIdleResponderEndsWith143OnSigterm() throws Exception {
        try (RtcatProcess respond = rtcat(Map.of(), "respond")) {
            respond.awaitStderr("rtcat check --from (\\S+)", 30);
            respond.signal("TERM");
            assertEquals(143, respond.await(30), respond.toString());
            List<String> lines = errorLines(respond);
            assertEquals(1, lines.size(), respond.toString());
            assertTrue(lines.get(0).startsWith("rtcat: interrupted") && lines.get(0).endsWith("(SIGTERM)"),
                    respond.toString());
        }
    }
}
