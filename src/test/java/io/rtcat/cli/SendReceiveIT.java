package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.RtcatProcess;
import io.rtcat.testing.SignalingProxy;
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
            Path dump = tmp.resolve("receiver-stats.json");
            try (RtcatProcess receive = RtcatProcess.start(Map.of("RTCAT_CODE", code), null, "receive", "--from",
                    from, "--out", out.toString(), "--yes", "--json", "--stats-dump", dump.toString())) {
                assertEquals(0, receive.await(90), receive.toString());
                assertEquals(0, send.await(30), send.toString());
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("data.bin")));
                JsonNode report = new ObjectMapper().readTree(receive.stdout());
                assertEquals(Files.size(f), report.get("bytes").asLong());
                assertEquals("direct", report.get("connection").get("path").asText(), receive.toString());
                assertTrue(report.get("files").get(0).get("verified").asBoolean());
                JsonNode sent = new ObjectMapper().readTree(send.stdout());
                assertEquals(Files.size(f), sent.get("bytes").asLong());
                io.rtcat.testing.JsonSchemas.assertValid("/schemas/transfer.schema.json", receive.stdout());
                io.rtcat.testing.JsonSchemas.assertValid("/schemas/transfer.schema.json", send.stdout());
                assertEquals(code, sent.get("ready").get("code").asText(), send.toString());
                // both sides name DTLS although the peer has hung up by the time the report is written
                assertTrue(report.get("connection").get("dtls_version").asText().startsWith("DTLS"), receive.toString());
                assertTrue(sent.get("connection").get("dtls_version").asText().startsWith("DTLS"), send.toString());
                // one RTT: the report's is the one --streams auto chose by
                String rtt = sent.get("connection").get("ice_rtt_ms").asDouble() < 1 ? "<1 ms"
                        : Math.round(sent.get("connection").get("ice_rtt_ms").asDouble()) + " ms";
                assertTrue(sent.get("streams").get("reason").asText().startsWith("auto: " + rtt + " RTT"),
                        sent.toString());
                JsonNode stats = new ObjectMapper().readTree(dump.toFile());
                assertTrue(stats.get("peers").get("receiver").size() > 5, stats.toString());
            }
        }
    }

    /** Runs send PATHS... and receive with the printed code; returns the receiver (already exited 0). */
    private RtcatProcess transfer(Path out, Path stdin, List<String> sendArgs, List<String> receiveArgs)
            throws Exception {
        List<String> s = new java.util.ArrayList<>(List.of("send"));
        s.addAll(sendArgs);
        try (RtcatProcess send = RtcatProcess.start(Map.of(), stdin, s.toArray(new String[0]))) {
            String from = send.awaitStderr(FROM, 30);
            String code = send.awaitStderr("rtcat receive (\\d+-[a-z]+-[a-z]+)", 5);
            List<String> r = new java.util.ArrayList<>(List.of("receive", "--from", from, "--yes"));
            if (out != null) {
                r.addAll(List.of("--out", out.toString()));
            }
            r.addAll(receiveArgs);
            RtcatProcess receive = RtcatProcess.start(Map.of("RTCAT_CODE", code), null, r.toArray(new String[0]));
            assertEquals(0, receive.await(120), receive.toString());
            assertEquals(0, send.await(30), send.toString());
            return receive;
        }
    }

    @Test
    void aFolderTreeWithAnEmptyFileArrivesWithItsLayout() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("src/project"));
        Files.createDirectories(root.resolve("docs/deep"));
        Files.write(root.resolve("README"), "hello".getBytes());
        Files.write(root.resolve("empty.txt"), new byte[0]);
        Files.write(root.resolve("docs/deep/résumé.pdf"), new byte[200_000]);
        Path single = file("notes.bin", 5000);
        Path out = outDir();
        transfer(out, null, List.of(root.toString(), single.toString()), List.of());
        for (String rel : List.of("README", "empty.txt", "docs/deep/résumé.pdf")) {
            assertArrayEquals(Files.readAllBytes(root.resolve(rel)), Files.readAllBytes(out.resolve("project/" + rel)),
                    rel);
        }
        assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(out.resolve("notes.bin")));
    }

    @Test
    void aThousandSmallFilesArrive() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("many"));
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] data = new byte[1024];
            random.nextBytes(data);
            Files.write(root.resolve(String.format("f%04d.bin", i)), data);
        }
        Path out = outDir();
        RtcatProcess receive = transfer(out, null, List.of(root.toString()), List.of("--json"));
        assertEquals(1000, new ObjectMapper().readTree(receive.stdout()).get("files").size());
        for (int i = 0; i < 1000; i += 97) {
            String name = String.format("f%04d.bin", i);
            assertArrayEquals(Files.readAllBytes(root.resolve(name)), Files.readAllBytes(out.resolve("many/" + name)));
        }
        try (Stream<Path> s = Files.list(out.resolve("many"))) {
            assertEquals(1000, s.count());
        }
    }

    @Test
    void standardInputArrivesOnStandardOutput() throws Exception {
        Path input = file("stream.bin", 2 * 1024 * 1024 + 3);
        RtcatProcess receive = transfer(null, input, List.of("-"), List.of("--stdout"));
        assertArrayEquals(Files.readAllBytes(input), receive.stdoutBytes());
        assertTrue(receive.stderr().contains("Received 1 file"), receive.toString());
    }

    @Test
    void bothSidesCanMeetOnAStandaloneSignalServer() throws Exception {
        Path f = file("via-server.bin", 300_000);
        Path out = outDir();
        try (RtcatProcess server = RtcatProcess.start("signal", "--port", "0", "--bind", "127.0.0.1", "--json")) {
            String port = server.awaitStdout("\"port\"\\s*:\\s*(\\d+)", 30);
            String url = "ws://127.0.0.1:" + port + "/";
            try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--signal", url, "--code",
                    "314-maple-otter", "--timeout", "60");
                    RtcatProcess receive = RtcatProcess.start(Map.of("RTCAT_CODE", "314-maple-otter"), null,
                            "receive", "--signal", url, "--out", out.toString(), "--yes")) {
                assertEquals(0, receive.await(90), receive.toString());
                assertEquals(0, send.await(30), send.toString());
            }
        }
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("via-server.bin")));
    }

    @Test
    void plainRoomsWorkWithoutACodeAndSayTheyAreUnauthenticated() throws Exception {
        Path f = file("plain.bin", 100_000);
        Path out = outDir();
        try (RtcatProcess server = RtcatProcess.start("signal", "--port", "0", "--bind", "127.0.0.1", "--json")) {
            String url = "ws://127.0.0.1:" + server.awaitStdout("\"port\"\\s*:\\s*(\\d+)", 30) + "/";
            // The receiver joins first this time: the sender's untargeted offer must still reach it.
            try (RtcatProcess receive = RtcatProcess.start("receive", "--signal", url, "--room", "demo", "--out",
                    out.toString(), "--yes")) {
                server.awaitStderr("(\"receive-[0-9a-f]+\" joined room \"demo\")", 30);
                RtcatProcess send = RtcatProcess.start("send", f.toString(), "--signal", url, "--room", "demo",
                        "--timeout", "60");
                assertEquals(0, receive.await(90), receive.toString());
                assertEquals(0, send.await(30), send.toString());
                assertTrue(receive.stderr().contains("not authenticated"), receive.toString());
                send.close();
            }
        }
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("plain.bin")));
    }

    @Test
    void aPinnedFingerprintAdmitsTheRightPeerAndRefusesAnother() throws Exception {
        Path f = file("pinned.bin", 50_000);
        Path out = outDir();
        try (RtcatProcess server = RtcatProcess.start("signal", "--port", "0", "--bind", "127.0.0.1", "--json")) {
            String url = "ws://127.0.0.1:" + server.awaitStdout("\"port\"\\s*:\\s*(\\d+)", 30) + "/";
            try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--signal", url, "--room", "pin",
                    "--timeout", "60")) {
                String senderFp = send.awaitStderr("fingerprint\\): (sha-256 [0-9A-F:]+)", 30);
                String wrong = senderFp.substring(0, senderFp.length() - 2) + (senderFp.endsWith("00") ? "11" : "00");
                try (RtcatProcess impostorCheck = RtcatProcess.start("receive", "--signal", url, "--room", "pin",
                        "--fingerprint", wrong, "--out", out.toString(), "--yes", "--timeout", "20")) {
                    assertEquals(ExitCode.FAILED, impostorCheck.await(60), impostorCheck.toString());
                    assertTrue(impostorCheck.stderr().contains("is not the pinned one"), impostorCheck.toString());
                }
                assertEquals(List.of(), names(out));
            }
            try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--signal", url, "--room", "pin2",
                    "--timeout", "60")) {
                String senderFp = send.awaitStderr("fingerprint\\): (sha-256 [0-9A-F:]+)", 30);
                try (RtcatProcess receive = RtcatProcess.start("receive", "--signal", url, "--room", "pin2",
                        "--fingerprint", senderFp, "--out", out.toString(), "--yes")) {
                    assertEquals(0, receive.await(60), receive.toString());
                    assertEquals(0, send.await(30), send.toString());
                }
            }
        }
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("pinned.bin")));
    }

    @Test
    void aKilledReceiverResumesWhereItStopped() throws Exception {
        Path f = file("big.bin", 48 * 1024 * 1024);
        Path out = outDir();
        try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--code", "77-resume-test",
                "--timeout", "60")) {
            String from = send.awaitStderr(FROM, 30);
            try (RtcatProcess receive = RtcatProcess.start("receive", "77-resume-test", "--from", from, "--out",
                    out.toString(), "--yes", "--json-stream")) {
                // Kill -9 once about a third has arrived.
                receive.awaitStdout("\"bytes\":(1[6-9]\\d{6}|[2-4]\\d{7})", 60);
                new ProcessBuilder("kill", "-9", Long.toString(receive.pid())).start().waitFor();
                receive.await(10);
            }
            send.await(60);
        }
        assertTrue(Files.exists(out.resolve(".big.bin.rtcat-part")), "partial file kept for resume: "
                + names(out));
        RtcatProcess second = transfer(out, null, List.of(f.toString()), List.of("--json"));
        JsonNode report = new ObjectMapper().readTree(second.stdout());
        long resumed = report.get("resumed_bytes").asLong();
        assertTrue(resumed >= 8L * 1024 * 1024, "resumed only " + resumed + " bytes: " + second);
        assertTrue(second.stderr().isEmpty() || !second.stderr().contains("rtcat: error"), second.toString());
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("big.bin")));
        assertEquals(List.of("big.bin"), names(out), "no part files left");
    }

    @Test
    void aKilledSenderIsNoticedAndTheRerunResumes() throws Exception {
        Path f = file("iso.bin", 48 * 1024 * 1024);
        Path out = outDir();
        long start;
        try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--code", "78-sender-dies",
                "--timeout", "60", "--json-stream")) {
            String from = send.awaitStderr(FROM, 30);
            // a wrapper learns the code and addresses from stdout: the first event, before the receiver came
            send.awaitStdout("\"event\":\"(ready)\"", 5);
            JsonNode ready = new ObjectMapper().readTree(send.stdout().lines().findFirst().orElseThrow());
            io.rtcat.testing.JsonSchemas.assertValid("/schemas/transfer-event.schema.json", ready.toString());
            assertEquals("78-sender-dies", ready.get("code").asText(), ready.toString());
            assertTrue(ready.get("from").toString().contains(from), ready.toString());
            try (RtcatProcess receive = RtcatProcess.start("receive", "78-sender-dies", "--from", from, "--out",
                    out.toString(), "--yes")) {
                send.awaitStdout("\"bytes\":(1[6-9]\\d{6}|[2-4]\\d{7})", 60);
                new ProcessBuilder("kill", "-9", Long.toString(send.pid())).start().waitFor();
                start = System.nanoTime();
                int exit = receive.await(30);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertEquals(ExitCode.UNAVAILABLE, exit, receive.toString());
                assertTrue(seconds < 10, "noticed the dead sender only after " + seconds + " s");
            }
        }
        assertTrue(Files.exists(out.resolve(".iso.bin.rtcat-part")), "partial file kept: " + names(out));
        RtcatProcess second = transfer(out, null, List.of(f.toString()), List.of("--json"));
        long resumed = new ObjectMapper().readTree(second.stdout()).get("resumed_bytes").asLong();
        assertTrue(resumed >= 8L * 1024 * 1024, "resumed only " + resumed + " bytes: " + second);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("iso.bin")));
        assertEquals(List.of("iso.bin"), names(out));
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
        throughProxy(file("contract.pdf", 64 * 1024), "9-quiet-lemon", SignalingProxy::swappingFingerprints,
                (send, receive, mitm, out) -> {
                    int receiveExit = receive.await(60);
                    int sendExit = send.await(30);
                    assertTrue(mitm.changed() > 0, "the proxy never saw a description");
                    assertEquals(ExitCode.FAILED, receiveExit, receive.toString());
                    assertEquals(ExitCode.FAILED, sendExit, send.toString());
                    assertTrue(receive.stderr().contains("tampered") || send.stderr().contains("tampered"),
                            receive + "\n" + send);
                    assertEquals(List.of(), names(out));
                });
    }

    /**
     * On a busy machine the sender may finish its PAKE, and send its offer, while the receiver is still
     * handling the last round on its PAKE thread: the offer must wait for the key, not be dropped (seen once in
     * CI as an ICE/DTLS timeout). The proxy makes that order certain by letting the offer overtake the round.
     */
    @Test
    void anOfferThatArrivesBeforeTheLastPakeRoundIsKept() throws Exception {
        Path f = file("early.bin", 256 * 1024);
        throughProxy(f, "12-eager-otter", SignalingProxy::overtakingTheLastPakeRound, (send, receive, proxy, out) -> {
            assertEquals(0, receive.await(60), receive.toString());
            assertEquals(0, send.await(30), send.toString());
            assertEquals(1, proxy.changed(), "the offer did not overtake the last PAKE round");
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("early.bin")));
        });
    }

    /**
     * A signaling server that never sends {@code joined} (the common tutorial one) must not cost a wait: the
     * peer's first relayed message ends it. Before, the receiver waited the whole JOIN_ACK_WAIT (5 s) for it.
     */
    @Test
    void aServerThatNeverAcknowledgesTheJoinCostsNoWait() throws Exception {
        Path f = file("quick.bin", 64 * 1024);
        throughProxy(f, "14-silent-heron", SignalingProxy::droppingJoined, (send, receive, proxy, out) -> {
            assertEquals(0, receive.await(60), receive.toString());
            assertEquals(0, send.await(30), send.toString());
            assertEquals(1, proxy.changed(), "the proxy did not drop the receiver's joined");
            assertTrue(receive.stderr().contains("relays without acknowledging the join"), receive.toString());
            assertFalse(receive.stderr().contains("did not acknowledge the join"), receive.toString());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve("quick.bin")));
        });
    }

    private interface ProxyFactory {
        SignalingProxy start(java.net.URI upstream) throws Exception;
    }

    private interface ProxiedRun {
        void check(RtcatProcess send, RtcatProcess receive, SignalingProxy proxy, Path out) throws Exception;
    }

    /** Sends {@code f} with {@code code}; the receiver reaches the sender's server through a proxy. */
    private void throughProxy(Path f, String code, ProxyFactory proxyFor, ProxiedRun run) throws Exception {
        Path out = outDir();
        try (RtcatProcess send = RtcatProcess.start("send", f.toString(), "--code", code, "--timeout", "60")) {
            String from = send.awaitStderr(FROM, 30);
            java.net.URI upstream = java.net.URI.create("ws://127.0.0.1:" + from.substring(from.lastIndexOf(':') + 1)
                    + "/");
            try (SignalingProxy proxy = proxyFor.start(upstream);
                    RtcatProcess receive = RtcatProcess.start("receive", code, "--from",
                            "127.0.0.1:" + proxy.getPort(), "--out", out.toString(), "--yes", "--timeout", "20",
                            "-v")) {
                run.check(send, receive, proxy, out);
            }
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
