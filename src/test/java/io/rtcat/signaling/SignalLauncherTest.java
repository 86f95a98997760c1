package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release launcher picks the JVM settings per command: the signal server its own collector and heap, every
 * other command the serial collector and 256 MiB. A fake {@code java} prints the arguments it was given.
 */
class SignalLauncherTest {

    private static final Path LAUNCHER = Paths.get("scripts/dist-files/bin/rtcat").toAbsolutePath();

    @TempDir
    Path javaHome;

    private String javaArgs(String... rtcatArgs) throws Exception {
        Path bin = Files.createDirectories(javaHome.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        List<String> cmd = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        cmd.addAll(List.of(rtcatArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("RTCAT_JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theSignalServerGetsItsOwnCollectorAndHeap() throws Exception {
        String signal = javaArgs("signal", "--port", "0");
        assertTrue(signal.startsWith("-XX:+UseG1GC -Xmx1g "), signal);
        assertTrue(signal.endsWith("lib/rtcat.jar signal --port 0"), signal);
        assertTrue(javaArgs("--quiet", "signal").startsWith("-XX:+UseG1GC -Xmx1g "), "after global options");
    }

    @Test
    void everyOtherCommandKeepsSerialAnd256m() throws IOException, Exception {
        for (String[] args : new String[][] {{"send", "signal"}, {"--version"}, {"loopback"}, {"bench", "signal"}}) {
            String got = javaArgs(args);
            assertTrue(got.startsWith("-XX:+UseSerialGC -Xmx256m "), String.join(" ", args) + ": " + got);
        }
    }
}
