package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.RtcatProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shaded jar as a user runs it: a separate JVM, real exit codes, stdout that pipes cleanly. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessIT {

    private static final Path JAR = Path.of(System.getProperty("rtcat.jar", "target/rtcat.jar"));

    record Result(int exit, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + exit + " after " + millis + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result rtcat(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("rtcat-out", ".txt");
        Path err = Files.createTempFile("rtcat-err", ".txt");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("rtcat " + String.join(" ", args) + " did not exit within 90 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The real JDK (surefire may point java.home at the namespace wrapper's JDK, which is fine too). */
    private static String javaBin() {
        String real = System.getenv("RTCAT_REAL_JAVA");
        return real != null ? real : System.getProperty("java.home") + File.separator + "bin" + File.separator
                + "java";
    }

    @Test
    void jsonOnStdoutParsesWithNothingElseMixedIn() throws Exception {
        Result r = rtcat("loopback", "--size", "2M", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("verified").asBoolean(), r.toString());
        assertFalse(r.out().contains("attach"), "native exit noise on stdout: " + r);
        // The whole of stdout is one JSON document.
        assertEquals(doc, new ObjectMapper().readTree(r.out().trim()));
        assertTrue(r.millis() < 30_000, r.toString());
    }

    @Test
    void ctrlCExitsWith130AndLeavesNoPartialFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        // with SIGINT's default action: a build run as a script's background job has it ignored, the JVM keeps an
        // ignored SIGINT ignored, and the Ctrl-C below would then never arrive (CPU-hog CI runs 1 and 3)
        List<String> cmd = new ArrayList<>(RtcatProcess.DEFAULT_SIGNALS);
        cmd.addAll(List.of(javaBin(), "-jar", JAR.toString(), "loopback", "--size", "2G", "--out", out.toString(),
                "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (listing(out).isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        assertFalse(listing(out).isEmpty(), "the transfer never started writing");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            // what it was doing: the JVM prints its threads on SIGQUIT, into the log
            new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
            p.waitFor(2, TimeUnit.SECONDS);
            p.destroyForcibly();
            throw new AssertionError("rtcat did not exit within 15 s of Ctrl-C\n" + Files.readString(
                    tmp.resolve("log.txt")));
        }
        assertEquals(ExitCode.INTERRUPTED, p.exitValue(), Files.readString(tmp.resolve("log.txt")));
        assertEquals(List.of(), listing(out), "partial file left behind");
    }

    private static List<String> listing(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void aNativeLibraryThatCannotLoadIsOneActionableLine(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        List<String> cmd = List.of(javaBin(), "-Djava.io.tmpdir=/nonexistent-rtcat-dir", "-jar", JAR.toString(),
                "loopback", "--size", "1M", "--out", tmp.toString());
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put("RTCAT_NATIVE_CACHE", "0"); // webrtc-java extracts it into java.io.tmpdir
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(ExitCode.UNAVAILABLE, p.exitValue(), output);
        List<String> lines = output.lines().toList();
        assertEquals(2, lines.size(), output);
        assertTrue(lines.get(0).startsWith("rtcat: cannot load the WebRTC native library: cannot extract it into "
                + "/nonexistent-rtcat-dir"), output);
        assertTrue(lines.get(1).startsWith("hint: point java.io.tmpdir"), output);
    }

    /** The library cache holds an extracted copy: a temporary directory rtcat cannot use no longer matters. */
    @Test
    void withTheLibraryCacheAnUnusableTemporaryDirectoryDoesNotMatter(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        List<String> cmd = List.of(javaBin(), "-Djava.io.tmpdir=/nonexistent-rtcat-dir", "-jar", JAR.toString(),
                "loopback", "--size", "1M", "--out", tmp.resolve("out").toString(), "--json");
        Files.createDirectory(tmp.resolve("out"));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        builder.environment().remove("RTCAT_NATIVE_CACHE");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        for (int run = 1; run <= 2; run++) { // extracts, then loads the copy
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(ExitCode.OK, p.exitValue(), "run " + run + ": " + output);
            assertTrue(new ObjectMapper().readTree(output).path("verified").asBoolean(), output);
            Files.delete(tmp.resolve("out/rtcat-loopback.bin"));
        }
        try (Stream<Path> cached = Files.list(tmp.resolve("cache/rtcat/native"))) {
            assertEquals(1, cached.count(), "one extracted library");
        }
    }

    @Test
    void sendTakesItsCodeFromTheEnvironmentSoThatPsDoesNotShowIt(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path f = Files.writeString(tmp.resolve("f.txt"), "hello");
        try (io.rtcat.testing.RtcatProcess send = io.rtcat.testing.RtcatProcess.start(
                java.util.Map.of("RTCAT_CODE", "4242-crossbow-orbit"), null, "send", f.toString(), "--offline",
                "--json-stream", "--timeout", "30")) {
            String ready = send.awaitStdout("(\\{[^\\n]*\"event\":\"ready\"[^\\n]*\\})", 30);
            JsonNode event = new ObjectMapper().readTree(ready);
            assertEquals("4242-crossbow-orbit", event.path("code").asText(), ready);
            assertFalse(String.join(" ", ProcessHandle.of(send.pid()).orElseThrow().info().arguments()
                    .orElse(new String[0])).contains("crossbow"), "the code is not on the command line");
        }
    }

    @Test
    void usageErrorsAreOneLineWithExit2() throws Exception {
        Result r = rtcat("loopback", "--size", "lots");
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("rtcat: invalid --size"), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void failuresInJsonModeStillPrintOneDocumentWithAnErrorField() throws Exception {
        Result r = rtcat("loopback", "--json", "--relay-only");
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("error").asText().contains("--relay-only needs a TURN server"), r.toString());
        assertEquals(ExitCode.USAGE, doc.get("exit_code").asInt());
    }

    @Test
    void anUnreachableTurnServerTimesOutWithTheDocumentedCode() throws Exception {
        // Nothing listens on 10.99.0.1:3999, so relay-only gathering yields no candidates.
        Result r = rtcat("loopback", "--size", "1M", "--relay-only", "--ice", "turn:u:p@10.99.0.1:3999",
                "--timeout", "4", "--quiet");
        assertEquals(ExitCode.TIMEOUT, r.exit(), r.toString());
        assertTrue(r.err().startsWith("rtcat: timed out gathering candidates: no ICE server answered"), r.toString());
        assertTrue(r.millis() < 20_000, r.toString());
    }
}
