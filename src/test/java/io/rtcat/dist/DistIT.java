package io.rtcat.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained Linux bundle (issue 13) as a user without any JDK gets it: `scripts/dist --bundle` jlinks it
 * from target/rtcat.jar, and every run goes through scripts/without-jdk, which hides the machine's JDKs in a
 * private mount namespace (this JVM already runs in a private network namespace, scripts/isolated-jdk).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DistIT {

    private static final Path ROOT = Path.of(System.getProperty("rtcat.root", "."));
    private static final Path BUNDLE = ROOT.resolve("target/it-bundle");

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(long seconds, String... cmd) throws Exception {
        Path out = Files.createTempFile("dist-out", ".txt");
        Path err = Files.createTempFile("dist-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not exit within " + seconds + " s\n"
                        + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result withoutJdk(long seconds, String... cmd) throws Exception {
        List<String> all = new ArrayList<>(List.of(ROOT.resolve("scripts/without-jdk").toString(), "--"));
        all.addAll(List.of(cmd));
        return run(seconds, all.toArray(String[]::new));
    }

    @BeforeAll
    static void buildBundle() throws Exception {
        // jdeps + jlink: about 20-60 s on two loaded cores; kept when target/rtcat.jar has not changed.
        Result r = run(200, ROOT.resolve("scripts/dist").toString(), "--bundle", BUNDLE.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.isExecutable(BUNDLE.resolve("runtime/bin/java")), r.toString());
    }

    @Test
    void noJavaIsLeftOutsideTheBundle() throws Exception {
        Result r = withoutJdk(30, "sh", "-c", "java -version; echo \"java: $?\"; echo \"JAVA_HOME=${JAVA_HOME:-}\"");
        assertTrue(r.out().contains("java: 127"), "a java still runs without the bundle: " + r);
        assertTrue(r.out().contains("JAVA_HOME=\n"), r.toString());
    }

    @Test
    void theBundleRunsLoopbackAndTheBytesArriveIntact(@TempDir Path tmp) throws Exception {
        byte[] data = new byte[16 << 20];
        new Random(13).nextBytes(data);
        Path input = tmp.resolve("input.bin");
        Files.write(input, data);
        Path out = Files.createDirectory(tmp.resolve("out"));
        Result r = withoutJdk(180, BUNDLE.resolve("bin/rtcat").toString(), "loopback", "--file", input.toString(),
                "--out", out.toString(), "--json", "-q");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("verified").asBoolean(), r.toString());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                doc.get("sha256").asText(), r.toString());
        assertTrue(doc.get("rtcat_version").asText().matches("\\d+\\.\\d+\\.\\d+.* \\(.*, webrtc-java .*\\)"),
                r.toString());
        assertArrayEquals(data, Files.readAllBytes(out.resolve("input.bin")), "the received copy differs");
    }

    @Test
    void theBundleKeepsOnlyTheModulesRtcatUses() throws IOException, Exception {
        Result r = run(30, BUNDLE.resolve("runtime/bin/java").toString(), "--list-modules");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("java.base@"), r.toString());
        assertTrue(r.out().contains("jdk.crypto.ec@"), "TLS needs the EC provider: " + r);
        for (String notNeeded : new String[] {"jdk.compiler@", "jdk.jshell@", "java.xml.crypto@", "jdk.jlink@"}) {
            assertTrue(!r.out().contains(notNeeded), notNeeded + " is in the runtime: " + r);
        }
    }

    @Test
    void thePortableLauncherWithoutAnyJavaSaysWhichJavaItNeeds(@TempDir Path tmp) throws Exception {
        // The portable archives' layout: bin/rtcat and lib/rtcat.jar, no runtime/.
        Path home = Files.createDirectories(tmp.resolve("rtcat/bin"));
        Files.copy(BUNDLE.resolve("bin/rtcat"), home.resolve("rtcat"));
        Files.createSymbolicLink(tmp.resolve("rtcat/lib"), BUNDLE.resolve("lib"));
        Result r = withoutJdk(30, home.resolve("rtcat").toString(), "--version");
        assertEquals(69, r.exit(), r.toString());
        assertTrue(r.err().contains("Java 17"), r.toString());
        assertTrue(r.err().lines().count() == 2, "one line and one hint: " + r);
        assertTrue(r.err().contains("hint: sudo apt-get install -y openjdk-17-jre-headless"), "on Debian: " + r);
    }
}
