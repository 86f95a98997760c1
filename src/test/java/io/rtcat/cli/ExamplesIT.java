package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.testing.Coturn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scripts in examples/ run as documented and their exit codes mean what they say. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesIT {

    private record Result(int exit, String out) {
    }

    private static Result run(Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile("example", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            String java = System.getenv().getOrDefault("RTCAT_REAL_JAVA", "java");
            pb.environment().put("RTCAT", java + " -jar " + System.getProperty("rtcat.jar", "target/rtcat.jar"));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " hung");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void healthCheckPassesOnAHealthyStack() throws Exception {
        Result r = run(Map.of("MIN_MBPS", "1", "SIZE", "4M"), "examples/loopback-health-check.sh");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().startsWith("OK: direct host/udp"), r.out());
    }

    @Test
    void healthCheckReportsSlowWithExit1() throws Exception {
        Result r = run(Map.of("MIN_MBPS", "1000000", "SIZE", "1M"), "examples/loopback-health-check.sh");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().startsWith("SLOW: "), r.out());
    }

    @Test
    void callQualityCheckSaysOkOrDegradedWithItsExitCode() throws Exception {
        Result ok = run(Map.of("GRADE", "audio", "DURATION", "3"), "examples/call-quality-check.sh", "--local",
                "--resolution", "320x180");
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().matches("(?s)OK: good for .*; video VP8 320x180 at .* fps, .* kbit/s, loss .*%; "
                + "estimate .* kbit/s\\s*"), ok.out());
        Result low = run(Map.of("GRADE", "1080p", "DURATION", "3"), "examples/call-quality-check.sh", "--local",
                "--resolution", "320x180");
        assertEquals(ExitCode.CHECK_MEDIA, low.exit(), low.out());
        assertTrue(low.out().startsWith("DEGRADED: ") && low.out().contains("(expected at least 1080p)"), low.out());
        Result bad = run(Map.of(), "examples/call-quality-check.sh", "--local", "--codec", "VP7");
        assertEquals(ExitCode.USAGE, bad.exit(), bad.out());
        assertTrue(bad.out().startsWith("UNHEALTHY: "), bad.out());
    }

    static final List<String> SCRIPTS = List.of("examples/loopback-health-check.sh", "examples/turn-relay-check.sh",
            "examples/call-quality-check.sh", "examples/ci-reachability-probe.sh");

    @Test
    void everyExampleExplainsItselfWithHelp() throws Exception {
        for (String script : SCRIPTS) {
            Result r = run(Map.of(), script, "--help");
            assertEquals(0, r.exit(), script + ": " + r.out());
            assertTrue(r.out().contains(script), script + " --help shows no usage: " + r.out());
            assertTrue(!r.out().contains("OK:") && !r.out().contains("parse error"), script + ": " + r.out());
        }
    }

    /** A wrapper that prints anything but the JSON report must make the script fail, never say OK. */
    @Test
    void unparseableOutputFailsLoudly() throws Exception {
        for (String script : SCRIPTS) {
            Result r = run(Map.of("RTCAT", "echo Usage: rtcat"), script, "stun:10.99.0.1:9");
            assertTrue(r.exit() != 0, script + " exited 0 on garbage: " + r.out());
            assertTrue(r.out().startsWith("FAIL: rtcat printed no JSON report"), script + ": " + r.out());
        }
    }

    @Test
    void reachabilityProbeNamesADeadStunServer() throws Exception {
        Result r = run(Map.of("TIMEOUT", "3"), "examples/ci-reachability-probe.sh", "stun:10.99.0.1:9");
        assertEquals(ExitCode.PROBE_STUN_UNREACHABLE, r.exit(), r.out());
        assertTrue(r.out().startsWith("FAIL: "), r.out());
    }

    @Test
    void turnCheckConfirmsARelayAndReportsRefusal() throws Exception {
        try (Coturn coturn = Coturn.start(3478)) {
            Result ok = run(Map.of(), "examples/turn-relay-check.sh", coturn.turnUrl("udp"));
            assertEquals(0, ok.exit(), ok.out());
            assertTrue(ok.out().startsWith("OK: relayed via turn:"), ok.out());
            Result probed = run(Map.of(), "examples/ci-reachability-probe.sh", coturn.turnUrl("udp"));
            assertEquals(0, probed.exit(), probed.out());
            assertTrue(probed.out().startsWith("OK: host,relay found"), probed.out());

            List<String> bad = new ArrayList<>(List.of("examples/turn-relay-check.sh",
                    "turn:" + Coturn.USER + ":nope@" + Coturn.HOST + ":" + coturn.port()));
            Result refused = run(Map.of(), bad.toArray(new String[0]));
            assertEquals(ExitCode.UNAVAILABLE, refused.exit(), refused.out());
            assertTrue(refused.out().contains("rejected the credentials"), refused.out());
        }
    }
}
