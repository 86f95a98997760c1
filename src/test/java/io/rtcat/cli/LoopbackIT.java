package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole loopback stack (embedded signaling, two real peers, protocol v1, disk) through the CLI. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopbackIT {

    @TempDir
    Path tmp;

    @Test
    void generatedDataArrivesVerifiedWithAReport() throws Exception {
        CliRun run = CliRun.of("loopback", "--size", "3M", "--json", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode report = run.json();
        assertEquals(3L << 20, report.get("bytes").asLong());
        assertTrue(report.get("verified").asBoolean());
        assertEquals(64, report.get("sha256").asText().length());
        assertTrue(report.get("sender").get("bytes_per_second").asLong() > 0);
        JsonNode connection = report.get("connection");
        assertEquals("direct", connection.get("path").asText());
        assertEquals("host", connection.get("local_candidate").get("type").asText());
        assertEquals("udp", connection.get("local_candidate").get("protocol").asText());
        assertTrue(connection.get("dtls_cipher").asText().startsWith("TLS_"), run.toString());
    }

    @Test
    void humanReportNamesTheSelectedPairAndThroughput() {
        CliRun run = CliRun.of("loopback", "--size", "1M", "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Path:     direct  host udp"), run.toString());
        assertTrue(run.out().contains("sender"), run.toString());
        assertTrue(run.out().contains("verified by the receiver"), run.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1024, 50 * 1024 * 1024 + 7})
    void filesArriveByteIdentical(int size) throws Exception {
        Path source = tmp.resolve("in-" + size + ".bin");
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Files.write(source, data);
        Path out = Files.createDirectory(tmp.resolve("out"));
        CliRun run = CliRun.of("loopback", "--file", source.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        assertArrayEquals(data, Files.readAllBytes(out.resolve(source.getFileName())));
        assertEquals(List.of(source.getFileName().toString()), names(out), "no temporary files left");
    }

    @Test
    void anExistingFileIsNeverOverwrittenWithoutForce() throws Exception {
        Path source = tmp.resolve("report.txt");
        Files.writeString(source, "new content");
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("report.txt"), "precious");

        CliRun refused = CliRun.of("loopback", "--file", source.toString(), "--out", out.toString(), "--quiet");
        assertEquals(ExitCode.CANT_CREATE, refused.exitCode(), refused.toString());
        assertTrue(refused.err().startsWith("rtcat: "), refused.toString());
        assertTrue(refused.err().contains("--force"), refused.toString());
        assertEquals("precious", Files.readString(out.resolve("report.txt")));
        assertEquals(List.of("report.txt"), names(out));

        CliRun renamed = CliRun.of("loopback", "--file", source.toString(), "--out", out.toString(), "--rename", "-q");
        assertEquals(0, renamed.exitCode(), renamed.toString());
        assertEquals("precious", Files.readString(out.resolve("report.txt")));
        assertEquals("new content", Files.readString(out.resolve("report (1).txt")));

        CliRun forced = CliRun.of("loopback", "--file", source.toString(), "--out", out.toString(), "--force", "-q");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertEquals("new content", Files.readString(out.resolve("report.txt")));
    }

    @Test
    void theReceiverHangingUpMidTransferIsAClearFailureThatLeavesNothingBehind() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        long start = System.nanoTime();
        CliRun run = CliRun.of("loopback", "--size", "64M", "--drop-after", "4M", "--out", out.toString(),
                "--json", "--quiet", "--timeout", "20");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(ExitCode.UNAVAILABLE, run.exitCode(), run.toString());
        assertTrue(run.json().get("error").asText().contains("closed"), run.toString());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("rtcat: ")).count(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run);
        assertEquals(List.of(), names(out), "nothing saved, no temporary file");
        assertTrue(seconds < 20, "gave up after " + seconds + " s");
    }

    @Test
    void thePortRangeBoundsTheLocalPorts() throws Exception {
        CliRun run = CliRun.of("loopback", "--size", "256K", "--port-range", "41000-41010", "--json", "-q");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode connection = run.json().get("connection");
        for (String side : new String[] {"local_candidate", "remote_candidate"}) {
            int port = connection.get(side).get("port").asInt();
            assertTrue(port >= 41000 && port <= 41010, side + " port " + port + ": " + run);
        }
    }

    @Test
    void aNegotiatedChannelIdWorksEndToEnd() throws Exception {
        CliRun run = CliRun.of("loopback", "--size", "256K", "--negotiated-id", "3", "--json", "-q");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.json().get("verified").asBoolean());
    }

    @Test
    void statsIntervalPrintsLiveLinesAndStatsDumpWritesBothPeersReports() throws Exception {
        Path dump = tmp.resolve("stats.json");
        CliRun run = CliRun.of("loopback", "--size", "24M", "--stats-interval", "0.2", "--stats-dump",
                dump.toString(), "--quiet");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().lines().anyMatch(l -> l.matches("\\[\\s*\\d+\\.\\d s\\] rtt .* send .* MB/s .*path direct "
                + "host/udp")), run.toString());
        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dump.toFile());
        for (String side : new String[] {"sender", "receiver"}) {
            JsonNode entries = doc.get("peers").get(side);
            assertTrue(entries.isArray() && entries.size() > 5, side + ": " + entries);
            boolean nominated = false;
            for (JsonNode e : entries) {
                if (e.get("type").asText().equals("candidate-pair")
                        && e.get("attributes").path("nominated").asBoolean()) {
                    nominated = e.get("attributes").get("bytesSent").asLong() > 0 || side.equals("receiver");
                }
            }
            assertTrue(nominated, side + " has no nominated candidate pair carrying data");
        }
        assertEquals(null, doc.get("error"));
    }

    @Test
    void aMissingInputFileIsExit66() {
        CliRun run = CliRun.of("loopback", "--file", tmp.resolve("nope.bin").toString());
        assertEquals(ExitCode.NO_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("rtcat: "), run.toString());
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
