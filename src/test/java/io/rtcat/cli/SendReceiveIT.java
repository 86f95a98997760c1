package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.RtcatProcess;
import io.rtcat.testing.TamperingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two separate rtcat processes: `send` with its embedded signaling server, `receive` with the code. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SendReceiveIT {

    private static final String FROM = "--from (\\S+)";

    @TempDir
    Path tmp;

    private Path file(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(tmp.resolve(name), data);
    }

    private Path outDir() throws Exception {
        return Files.createDirectories(tmp.resolve("out"));
    }

    @Test
    void aFileArrivesIntactThroughTheEmbeddedServer() throws Exception {
        Path f = file("data.bin", 3 * 1024 * 1024 + 11);
        Path out = outDir();
        try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--json", "--timeout", "60")) {
            String from = send.awaitStderr(FROM, 30);
            String code = send.awaitStderr("rtcat receive (\\d+-[a-z]+-[a-z]+)", 5);
            try (RtcatProcess receive = RtcatProcess.start(Map.of("RTCAT_CODE", code), null, "receive", "--from",
                    from, "--out", out.toString(), "--yes", "--json")) {
                assertEquals(0, receive.await(90), receive.toString());
                assertEquals(0, send.await(30), send.toString());
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("data.bin")));
                JsonNode report = new ObjectMapper().readTree(receive.stdout());
                assertEquals(Files.size(f), report.get("bytes").asLong());
                assertEquals("direct", report.get("connection").get("path").asText(), receive.toString());
                assertTrue(report.get("files").get(0).get("verified").asBoolean());
                JsonNode sent = new ObjectMapper().readTree(send.stdout());
                assertEquals(Files.size(f), sent.get("bytes").asLong());
            }
        }
    }

    @Test
    void aWrongCodeFailsOnBothSidesAndWritesNothing() throws Exception {
        Path f = file("secret.bin", 1024);
        Path out = outDir();
        try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--code", "42-apple-river",
                "--timeout", "60")) {
            String from = send.awaitStderr(FROM, 30);
            try (RtcatProcess receive = RtcatProcess.start("receive", "42-apple-rivet", "--from", from, "--out",
                    out.toString(), "--yes")) {
                assertEquals(ExitCode.FAILED, receive.await(60), receive.toString());
                assertEquals(ExitCode.FAILED, send.await(30), send.toString());
                assertTrue(receive.stderr().contains("code phrase mismatch"), receive.toString());
                assertTrue(send.stderr().contains("code phrase mismatch"), send.toString());
                assertEquals(List.of(), names(out));
            }
        }
    }

    @Test
    void aSignalingServerThatSwapsFingerprintsIsCaughtAndNothingIsWritten() throws Exception {
        Path f = file("contract.pdf", 64 * 1024);
        Path out = outDir();
        try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--code", "9-quiet-lemon",
                "--timeout", "60")) {
            String from = send.awaitStderr(FROM, 30);
            String port = from.substring(from.lastIndexOf(':') + 1);
            try (TamperingProxy mitm = TamperingProxy.start(java.net.URI.create("ws://127.0.0.1:" + port + "/"));
                    RtcatProcess receive = RtcatProcess.start("receive", "9-quiet-lemon", "--from",
                            "127.0.0.1:" + mitm.getPort(), "--out", out.toString(), "--yes")) {
                int receiveExit = receive.await(60);
                int sendExit = send.await(30);
                assertTrue(mitm.tampered() > 0, "the proxy never saw a description");
                assertEquals(ExitCode.FAILED, receiveExit, receive.toString());
                assertEquals(ExitCode.FAILED, sendExit, send.toString());
                assertTrue(receive.stderr().contains("tampered") || send.stderr().contains("tampered"),
                        receive + "\n" + send);
                assertEquals(List.of(), names(out));
            }
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
