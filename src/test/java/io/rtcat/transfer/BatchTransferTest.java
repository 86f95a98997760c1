package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.testing.InMemoryChannelPair;
import io.rtcat.testing.RecordingListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchTransferTest {

    private static final Duration FIRST_MESSAGE_TIMEOUT = Duration.ofSeconds(20);
    private static final int BIG = 20 * 1024 * 1024;

    @TempDir
    Path root;
    private Path sourceDir;
    private Path targetDir;
    private InMemoryChannelPair pair;
    private final List<InMemoryChannelPair> pairs = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws IOException {
        sourceDir = Files.createDirectory(root.resolve("src"));
        targetDir = Files.createDirectory(root.resolve("dst"));
        pair = newPair();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        for (InMemoryChannelPair p : pairs) {
            p.close();
            assertEquals(List.of(), p.listenerFailures(), "listeners must not throw");
        }
    }

    @Test
    void folderTreeArrivesIdenticalWithRelativePaths() throws Exception {
        Path tree = Files.createDirectories(sourceDir.resolve("tree"));
        write(tree.resolve("a.txt"), 1000, 1);
        write(tree.resolve("empty.bin"), 0, 2);
        write(Files.createDirectories(tree.resolve("sub/deeper")).resolve("résumé 日本.txt"), 70_000, 3);
        write(tree.resolve("sub/b.bin"), 300_000, 4);
        Files.createDirectories(tree.resolve("nothing/here")); // empty directories are not transferred
        Path top = write(sourceDir.resolve("top.txt"), 5, 5);
        Files.setLastModifiedTime(top, FileTime.fromMillis(1_600_000_000_000L));

        List<TransferSource> sources = TransferSource.ofPaths(List.of(tree, top));
        assertEquals(List.of("top.txt", "tree/a.txt", "tree/empty.bin", "tree/sub/b.bin",
                "tree/sub/deeper/résumé 日本.txt"), sources.stream().map(TransferSource::name).toList());

        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        BatchResult sent = sender().send(pair.a(), sources);
        BatchResult result = received.get();

        for (TransferSource s : sources) {
            Path original = s.name().equals("top.txt") ? top : sourceDir.resolve(s.name());
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(targetDir.resolve(s.name())), s.name());
        }
        assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(targetDir.resolve("top.txt")).toMillis());
        assertFalse(Files.exists(targetDir.resolve("tree/nothing")));
        assertEquals(5, result.files().size());
        assertEquals(1000 + 70_000 + 300_000 + 5, result.totalBytes());
        assertEquals(result.totalBytes(), sent.totalBytes());
        assertTrue(sent.files().stream().allMatch(BatchResult.FileResult::verified));
        assertTrue(result.files().stream().allMatch(BatchResult.FileResult::verified));
        assertEquals(targetDir.resolve("tree/sub/b.bin"), result.files().get(3).path());
        assertEquals("tree/sub/b.bin", sent.files().get(3).savedAs());
        assertNoLeftovers();
    }

    @Test
    void thousandSmallFiles() throws Exception {
        Path many = Files.createDirectories(sourceDir.resolve("many"));
        for (int i = 0; i < 1000; i++) {
            write(many.resolve(String.format("f%04d.bin", i)), 1024, i);
        }
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        BatchResult sent = sender().send(pair.a(), TransferSource.ofPaths(List.of(many)));
        BatchResult result = received.get();
        assertEquals(1000, sent.files().size());
        assertEquals(1000, result.files().size());
        assertEquals(1000 * 1024, result.totalBytes());
        for (int i = 0; i < 1000; i++) {
            String name = String.format("many/f%04d.bin", i);
            assertArrayEquals(Files.readAllBytes(sourceDir.resolve(name)), Files.readAllBytes(targetDir.resolve(name)));
        }
        assertNoLeftovers();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/etc/x", "a/../../x", "a\u0000b", "a//b", ""})
    void hostileManifestEntryRefusesEverything(String hostile) throws Exception {
        RecordingListener sender = playSenderByHand();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        assertNotNull(sender.awaitText(t -> t.contains("\"hello\""), 10, TimeUnit.SECONDS));
        Manifest manifest = Manifest.of(List.of(new Manifest.Entry("fine.txt", 3, null, null),
                new Manifest.Entry(hostile, 3, null, null)));
        for (String page : ProtocolCodec.encodeManifest(manifest, 60_000)) {
            pair.a().sendText(page);
        }
        String error = sender.awaitText(t -> t.contains("\"type\":\"error\""), 10, TimeUnit.SECONDS);
        assertNotNull(error);
        assertTrue(error.contains("\"code\":\"name\""), error);
        assertEquals(Kind.PROTOCOL, receiveFailure(received).kind());
        assertEmpty(targetDir);
        assertFalse(Files.exists(root.resolve("x")));
    }

    @Test
    void symlinkLeadingOutsideIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        Files.createSymbolicLink(targetDir.resolve("link"), elsewhere);
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        RtcatException sendError = assertThrows(RtcatException.class, () -> sender().send(pair.a(),
                List.of(TransferSource.generated("ok.txt", 10, 1), TransferSource.generated("link/x", 10, 2))));
        assertTrue(sendError.getMessage().contains("symbolic link"), sendError.getMessage());
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.CANT_CREATE, e.kind());
        assertEmpty(elsewhere);
        try (Stream<Path> files = Files.list(targetDir)) {
            assertEquals(List.of(targetDir.resolve("link")), files.toList());
        }
    }

    @Test
    void symlinkInsideTheDirectoryIsFine() throws Exception {
        Path inside = Files.createDirectory(targetDir.resolve("real"));
        Files.createSymbolicLink(targetDir.resolve("alias"), inside);
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        sender().send(pair.a(), List.of(TransferSource.generated("alias/x", 10, 2)));
        received.get();
        assertTrue(Files.isRegularFile(inside.resolve("x")));
    }

    @Test
    void declinedConfirmationFailsBothSidesCleanly() throws Exception {
        List<Manifest> asked = new ArrayList<>();
        BatchReceiver receiver = new BatchReceiver(targetDir, OnExisting.FAIL).withConfirmation(m -> {
            asked.add(m);
            return false;
        });
        Future<BatchResult> received = startReceiver(receiver);
        RtcatException sendError = assertThrows(RtcatException.class, () -> sender().send(pair.a(),
                List.of(TransferSource.generated("a.bin", 1000, 1), TransferSource.generated("d/b.bin", 10, 2))));
        assertEquals(Kind.FAILED, sendError.kind());
        assertEquals("the receiver declined the transfer", sendError.getMessage());
        assertEquals(Kind.FAILED, receiveFailure(received).kind());
        assertEquals(1, asked.size());
        assertEquals(2, asked.get(0).files().size());
        assertEquals(1010, asked.get(0).totalBytes());
        assertNull(asked.get(0).files().get(0).sha256(), "generated data is listed without a hash pass");
        assertEmpty(targetDir);
    }

    @Test
    void stdinToStreamWithUnknownSize() throws Exception {
        byte[] data = randomBytes(3 * 1024 * 1024 + 17, 9);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL).toStream(stdout));
        BatchResult sent = sender().send(pair.a(),
                List.of(TransferSource.stdin(new ByteArrayInputStream(data), "pipe.bin")));
        BatchResult result = received.get();
        assertArrayEquals(data, stdout.toByteArray());
        BatchResult.FileResult file = result.files().get(0);
        assertNull(file.path());
        assertEquals(data.length, file.bytes());
        assertEquals(hex(data), file.sha256());
        assertTrue(file.verified());
        assertEquals(hex(data), sent.files().get(0).sha256());
        assertEmpty(targetDir);
    }

    @Test
    void stdinIntoDirectory() throws Exception {
        byte[] data = randomBytes(500_000, 10);
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        sender().send(pair.a(), List.of(TransferSource.stdin(new ByteArrayInputStream(data), "pipe.bin")));
        received.get();
        assertArrayEquals(data, Files.readAllBytes(targetDir.resolve("pipe.bin")));
        assertNoLeftovers();
    }

    @Test
    void toStreamNeedsExactlyOneFile() throws Exception {
        Future<BatchResult> received = startReceiver(
                new BatchReceiver(targetDir, OnExisting.FAIL).toStream(new ByteArrayOutputStream()));
        RtcatException sendError = assertThrows(RtcatException.class, () -> sender().send(pair.a(),
                List.of(TransferSource.generated("a", 10, 1), TransferSource.generated("b", 10, 2))));
        assertTrue(sendError.getMessage().contains("exactly one file"), sendError.getMessage());
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("--stdout needs exactly one file"), e.getMessage());
    }

    @Test
    void interruptedTransferResumes() throws Exception {
        Path big = write(sourceDir.resolve("big.bin"), BIG, 77);
        interruptHalfway(big);
        InMemoryChannelPair second = newPair();
        Future<BatchResult> received = pool.submit(
                () -> new BatchReceiver(targetDir, OnExisting.FAIL).receive(second.b(), FIRST_MESSAGE_TIMEOUT));
        BatchResult sent = sender().send(second.a(), TransferSource.ofPaths(List.of(big)));
        BatchResult result = received.get();
        long resumed = sent.files().get(0).resumedBytes();
        assertTrue(resumed >= BIG * 4L / 10, "resumed only " + resumed);
        assertEquals(resumed, result.files().get(0).resumedBytes());
        assertEquals(resumed, sent.resumedBytes());
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(targetDir.resolve("big.bin")));
        assertNoLeftovers();
    }

    @Test
    void corruptedPartIsResentFromTheBadBlock() throws Exception {
        Path big = write(sourceDir.resolve("big.bin"), BIG, 78);
        interruptHalfway(big);
        Path part = targetDir.resolve(".big.bin.rtcat-part");
        try (var channel = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, 1000);
            one.put(0, (byte) (one.get(0) ^ 0x55)).rewind();
            channel.write(one, 1000);
        }
        InMemoryChannelPair second = newPair();
        Future<BatchResult> received = pool.submit(
                () -> new BatchReceiver(targetDir, OnExisting.FAIL).receive(second.b(), FIRST_MESSAGE_TIMEOUT));
        BatchResult sent = sender().send(second.a(), TransferSource.ofPaths(List.of(big)));
        received.get();
        assertEquals(0, sent.files().get(0).resumedBytes());
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(targetDir.resolve("big.bin")));
        assertNoLeftovers();
    }

    @Test
    void staleSidecarStartsFromZero() throws Exception {
        Path big = write(sourceDir.resolve("big.bin"), BIG, 79);
        interruptHalfway(big);
        Files.writeString(targetDir.resolve(".big.bin.rtcat-part.json"),
                "{\"size\":" + BIG + ",\"sha256\":\"" + "00".repeat(32) + "\"}");
        InMemoryChannelPair second = newPair();
        Future<BatchResult> received = pool.submit(
                () -> new BatchReceiver(targetDir, OnExisting.FAIL).receive(second.b(), FIRST_MESSAGE_TIMEOUT));
        BatchResult sent = sender().send(second.a(), TransferSource.ofPaths(List.of(big)));
        received.get();
        assertEquals(0, sent.files().get(0).resumedBytes());
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(targetDir.resolve("big.bin")));
        assertNoLeftovers();
    }

    @Test
    void rerunningACompletedBatchSendsNothingAgain() throws Exception {
        Path dir = Files.createDirectories(sourceDir.resolve("d"));
        write(dir.resolve("a.bin"), 100_000, 1);
        write(dir.resolve("b.bin"), 2_500_000, 2);
        Future<BatchResult> first = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        sender().send(pair.a(), TransferSource.ofPaths(List.of(dir)));
        first.get();
        InMemoryChannelPair second = newPair();
        Future<BatchResult> received = pool.submit(
                () -> new BatchReceiver(targetDir, OnExisting.FAIL).receive(second.b(), FIRST_MESSAGE_TIMEOUT));
        BatchResult sent = sender().send(second.a(), TransferSource.ofPaths(List.of(dir)));
        received.get();
        assertEquals(2_600_000, sent.resumedBytes());
        assertEquals(0, sent.transferredBytes());
        try (Stream<Path> files = Files.list(targetDir.resolve("d"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void differentExistingFileIsAConflictForTheWholeBatch() throws Exception {
        Files.writeString(targetDir.resolve("b.bin"), "precious");
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        RtcatException sendError = assertThrows(RtcatException.class, () -> sender().send(pair.a(),
                List.of(TransferSource.generated("a.bin", 10, 1), TransferSource.generated("b.bin", 10, 2))));
        assertEquals(Kind.CANT_CREATE, sendError.kind());
        assertEquals(Kind.CANT_CREATE, receiveFailure(received).kind());
        assertFalse(Files.exists(targetDir.resolve("a.bin")));
        assertEquals("precious", Files.readString(targetDir.resolve("b.bin")));
    }

    @Test
    void browserReceiverGetsMinimalForm() throws Exception {
        RecordingListener browser = new RecordingListener();
        pair.b().setListener(browser);
        BatchSender sender = new BatchSender(65536, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(10), TransferProgress.NONE);
        BatchResult sent = sender.send(pair.a(), List.of(TransferSource.generated("one.bin", 100_000, 1),
                TransferSource.generated("two.bin", 10, 2)));
        assertFalse(sent.files().get(0).verified());
        assertEquals("{\"type\":\"file-start\",\"name\":\"one.bin\",\"size\":100000,\"totalChunks\":2}",
                browser.awaitText(t -> true, 10, TimeUnit.SECONDS));
        assertEquals("<binary 65536>", browser.awaitText(t -> true, 10, TimeUnit.SECONDS));
        assertEquals("<binary 34464>", browser.awaitText(t -> true, 10, TimeUnit.SECONDS));
        assertTrue(browser.awaitText(t -> true, 10, TimeUnit.SECONDS).startsWith("{\"type\":\"file-end\""));
        assertEquals("{\"type\":\"file-start\",\"name\":\"two.bin\",\"size\":10,\"totalChunks\":1}",
                browser.awaitText(t -> true, 10, TimeUnit.SECONDS));
        assertEquals("<binary 10>", browser.awaitText(t -> true, 10, TimeUnit.SECONDS));
        assertTrue(browser.awaitText(t -> true, 10, TimeUnit.SECONDS).startsWith("{\"type\":\"file-end\""));
    }

    @Test
    void browserReceiverRefusesUnknownSize() {
        pair.b().setListener(new RecordingListener());
        BatchSender sender = new BatchSender(65536, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(10), TransferProgress.NONE);
        RtcatException e = assertThrows(RtcatException.class, () -> sender.send(pair.a(),
                List.of(TransferSource.stdin(new ByteArrayInputStream(new byte[10]), "p"))));
        assertEquals(Kind.USAGE, e.kind());
        assertEquals("a browser receiver needs files of known size", e.getMessage());
    }

    /**
     * The receiver closes only once the sender has closed, its sign that batch-done arrived: on a lossy path a
     * receiver that closed at once could lose batch-done in flight, failing a batch that was saved.
     */
    @Test
    void theReceiverWaitsForTheSenderToHangUpAfterBatchDone() throws Exception {
        RecordingListener sender = playSenderByHand();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        assertNotNull(sender.awaitText(t -> t.contains("\"hello\""), 10, TimeUnit.SECONDS));
        for (String page : ProtocolCodec.encodeManifest(Manifest.of(List.of(new Manifest.Entry("f.txt", 3, null,
                null))), 60_000)) {
            pair.a().sendText(page);
        }
        assertNotNull(sender.awaitText(t -> t.contains("\"manifest-ack\""), 10, TimeUnit.SECONDS));
        pair.a().sendText("{\"type\":\"file-start\",\"name\":\"f.txt\",\"size\":3,\"totalChunks\":1}");
        pair.a().sendBinary(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)));
        pair.a().sendText("{\"type\":\"file-end\"}");
        pair.a().sendText("{\"type\":\"batch-end\",\"files\":1}");
        assertNotNull(sender.awaitText(t -> t.contains("\"batch-done\""), 10, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertFalse(received.isDone(), "the receiver finished before the sender hung up");
        pair.a().close();
        assertEquals(1, received.get(5, TimeUnit.SECONDS).files().size());
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(targetDir.resolve("f.txt")));
    }

    /** Before: a sender that starts with file-start (no file list) was never asked about. */
    @Test
    void aSenderWithoutFileListIsAskedToo() throws Exception {
        List<Manifest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingListener sender = playSenderByHand();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL).withConfirmation(m -> {
            asked.add(m);
            return false;
        }));
        assertNotNull(sender.awaitText(t -> t.contains("\"hello\""), 10, TimeUnit.SECONDS));
        pair.a().sendText("{\"type\":\"file-start\",\"name\":\".hidden\",\"size\":3,\"totalChunks\":1}");
        pair.a().sendBinary(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)));
        pair.a().sendText("{\"type\":\"file-end\"}");
        assertEquals(Kind.FAILED, receiveFailure(received).kind());
        assertEquals(1, asked.size());
        assertEquals(List.of(new Manifest.Entry(".hidden", 3, null, null)), asked.get(0).files());
        assertEmpty(targetDir);
    }

    /** Before: the prompt showed the sender's "totalBytes" (11 B) for a list holding a 40 MiB file. */
    @Test
    void theTotalAskedAboutIsComputedNotTheSendersClaim() throws Exception {
        List<Manifest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingListener sender = playSenderByHand();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL).withConfirmation(m -> {
            asked.add(m);
            return false;
        }));
        assertNotNull(sender.awaitText(t -> t.contains("\"hello\""), 10, TimeUnit.SECONDS));
        Manifest lying = new Manifest(List.of(new Manifest.Entry("a.txt", 11, null, null),
                new Manifest.Entry(".b", 40L << 20, null, null)), 11);
        for (String page : ProtocolCodec.encodeManifest(lying, 60_000)) {
            pair.a().sendText(page);
        }
        assertEquals(Kind.FAILED, receiveFailure(received).kind());
        assertEquals(11 + (40L << 20), asked.get(0).totalBytes());
    }

    /** Before: a size of -1 had no limit at all. */
    @Test
    void aFileOfUnknownSizeStopsAtTheLimit() throws Exception {
        RecordingListener sender = playSenderByHand();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL)
                .withSizeLimit(new BatchReceiver.SizeLimit(Long.MAX_VALUE, 1000)));
        assertNotNull(sender.awaitText(t -> t.contains("\"hello\""), 10, TimeUnit.SECONDS));
        for (String page : ProtocolCodec.encodeManifest(Manifest.of(List.of(new Manifest.Entry("pipe", -1, null,
                null))), 60_000)) {
            pair.a().sendText(page);
        }
        assertNotNull(sender.awaitText(t -> t.contains("\"manifest-ack\""), 10, TimeUnit.SECONDS));
        pair.a().sendText("{\"type\":\"file-start\",\"name\":\"pipe\",\"size\":-1}");
        pair.a().sendBinary(ByteBuffer.wrap(new byte[600]));
        pair.a().sendBinary(ByteBuffer.wrap(new byte[600]));
        RtcatException e = receiveFailure(received);
        assertTrue(e.getMessage().contains("pipe of unknown size passed 1000 bytes"), e.getMessage());
        String error = sender.awaitText(t -> t.contains("\"type\":\"error\""), 10, TimeUnit.SECONDS);
        assertTrue(error.contains("\"code\":\"size\""), error);
        assertFalse(Files.exists(targetDir.resolve("pipe")));
        assertNoLeftovers();
    }

    @Test
    void anAnnouncedSizeOverTheLimitIsRefusedBeforeThePrompt() throws Exception {
        List<Manifest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL)
                .withSizeLimit(new BatchReceiver.SizeLimit(5000, 5000)).withConfirmation(m -> asked.add(m)));
        RtcatException sendError = assertThrows(RtcatException.class, () -> sender().send(pair.a(),
                List.of(TransferSource.generated("small", 10, 1), TransferSource.generated("big", 5001, 2))));
        assertEquals(Kind.FAILED, sendError.kind());
        assertTrue(receiveFailure(received).getMessage().contains("big is 5001 bytes, more than the 5000"));
        assertEquals(List.of(), asked);
        assertEmpty(targetDir);
    }

    @Test
    void browserSenderDeliversOneFile() throws Exception {
        RecordingListener browser = playSenderByHand();
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        byte[] data = "hello from a browser page".repeat(5000).getBytes(StandardCharsets.UTF_8);
        int chunk = 16 * 1024;
        pair.a().sendText("{\"type\":\"file-start\",\"name\":\"page.txt\",\"size\":" + data.length
                + ",\"totalChunks\":" + ProtocolCodec.totalChunks(data.length, chunk) + "}");
        for (int off = 0; off < data.length; off += chunk) {
            pair.a().sendBinary(ByteBuffer.wrap(data, off, Math.min(chunk, data.length - off)));
        }
        pair.a().sendText("{\"type\":\"file-end\"}");
        BatchResult result = received.get();
        assertEquals(1, result.files().size());
        assertFalse(result.files().get(0).verified());
        assertArrayEquals(data, Files.readAllBytes(targetDir.resolve("page.txt")));
        assertNotNull(browser.awaitText(t -> t.contains("\"type\":\"done\""), 10, TimeUnit.SECONDS));
        assertNoLeftovers();
    }

    /** The full v1 form without a file list (protocol, chunk size, mtime, sha256 in file-start), played by hand. */
    @Test
    void aSenderWithoutFileListInTheFullFormIsVerified() throws Exception {
        RecordingListener sender = new RecordingListener();
        pair.a().setListener(sender);
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        TransferSource source = TransferSource.generated("s/one.bin", 1_000_000, 3);
        byte[] data = new byte[1_000_000];
        try (ReadableByteChannel in = source.open()) {
            ByteBuffer all = ByteBuffer.wrap(data);
            while (all.hasRemaining() && in.read(all) >= 0) {
                // keep reading
            }
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        int chunk = 65536;
        pair.a().sendText(ProtocolCodec.encode(new ProtocolCodec.FileStart("s/one.bin", data.length,
                ProtocolCodec.totalChunks(data.length, chunk), ProtocolCodec.VERSION, chunk, 1_600_000_000_000L, sha)));
        for (int off = 0; off < data.length; off += chunk) {
            pair.a().sendBinary(ByteBuffer.wrap(data, off, Math.min(chunk, data.length - off)));
        }
        pair.a().sendText(ProtocolCodec.encode(new ProtocolCodec.FileEnd(sha, (long) data.length)));
        BatchResult result = received.get();
        assertTrue(result.files().get(0).verified());
        assertEquals(sha, result.files().get(0).sha256());
        assertEquals(targetDir.resolve("s/one.bin"), result.files().get(0).path());
        assertNotNull(sender.awaitText(t -> t.contains("\"type\":\"done\"") && t.contains(sha), 10, TimeUnit.SECONDS));
        assertArrayEquals(data, Files.readAllBytes(targetDir.resolve("s/one.bin")));
        assertNoLeftovers();
    }

    /** A human answering [y/N] is not transfer time: both sides' clocks start once the batch was accepted. */
    @Test
    void bothClocksStartAfterTheReceiverAccepted() throws Exception {
        java.util.concurrent.atomic.AtomicLong acceptedAt = new java.util.concurrent.atomic.AtomicLong();
        BatchReceiver receiver = new BatchReceiver(targetDir, OnExisting.FAIL).withConfirmation(m -> {
            acceptedAt.set(System.nanoTime());
            return true;
        });
        Future<BatchResult> received = startReceiver(receiver);
        BatchResult sent = sender().send(pair.a(), List.of(TransferSource.generated("a.bin", 100_000, 1)));
        BatchResult result = received.get();
        assertTrue(result.startNanos() >= acceptedAt.get(), "the receiver's clock started before acceptance");
        assertTrue(sent.startNanos() >= acceptedAt.get(), "the sender's clock started before acceptance");
    }

    @Test
    void progressIsReported() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        TransferProgress listener = new TransferProgress() {
            @Override
            public void onBatchStarted(int files, long totalBytes) {
                events.add("batch " + files + " " + totalBytes);
            }

            @Override
            public void onFileStarted(String name, long size, long resumedFrom) {
                events.add("start " + name + " " + size + " " + resumedFrom);
            }

            @Override
            public void onFileDone(String name, long bytes) {
                events.add("done " + name + " " + bytes);
            }
        };
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL));
        new BatchSender(65536, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(20), listener)
                .send(pair.a(), List.of(TransferSource.generated("a", 5, 1), TransferSource.generated("b", 7, 2)));
        received.get();
        assertEquals(List.of("batch 2 12", "start a 5 0", "done a 5", "start b 7 0", "done b 7"), events);
    }

    @Test
    void anInterruptedSenderCancelsAndTheReceiverStopsKeepingThePart() throws Exception {
        Path big = write(sourceDir.resolve("big.bin"), BIG, 18);
        CompletableFuture<Thread> senderThread = new CompletableFuture<>();
        CompletableFuture<Void> senderDone = new CompletableFuture<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        TransferProgress interrupter = new TransferProgress() {
            @Override
            public void onBytes(long totalBytesSoFar) {
                if (totalBytesSoFar >= BIG / 2 && interrupted.compareAndSet(false, true)) {
                    senderThread.join().interrupt(); // what Ctrl-C does to the sending command
                    // the sender has stopped (and cancelled) before this side reads on: the file stays partial
                    senderDone.orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join();
                }
            }
        };
        // a small window: the sender cannot have sent the rest of the file before it was interrupted
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL, 1 << 20,
                Duration.ofSeconds(20), m -> true, interrupter));
        Future<BatchResult> sent = pool.submit(() -> {
            senderThread.complete(Thread.currentThread());
            try {
                return sender().send(pair.a(), TransferSource.ofPaths(List.of(big)));
            } finally {
                senderDone.complete(null);
            }
        });
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.PEER_CANCELLED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("the sender cancelled: interrupted after "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the partial file is kept for resuming"), e.getMessage());
        RtcatException s = receiveFailure(sent);
        assertEquals(Kind.INTERRUPTED, s.kind(), s.getMessage());
        assertTrue(Files.size(targetDir.resolve(".big.bin.rtcat-part")) >= BIG / 2);
        assertFalse(Files.exists(targetDir.resolve("big.bin")));
    }

    @Test
    void anInterruptedReceiverCancelsAndTheSenderStops() throws Exception {
        Path big = write(sourceDir.resolve("big.bin"), BIG, 19);
        TransferProgress interruptSelf = new TransferProgress() {
            @Override
            public void onBytes(long totalBytesSoFar) {
                if (totalBytesSoFar >= BIG / 2) {
                    Thread.currentThread().interrupt(); // progress runs on the receiving thread
                }
            }
        };
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL,
                TransferDefaults.WINDOW, Duration.ofSeconds(20), m -> true, interruptSelf));
        RtcatException s = assertThrows(RtcatException.class,
                () -> sender().send(pair.a(), TransferSource.ofPaths(List.of(big))));
        assertEquals(Kind.PEER_CANCELLED, s.kind(), s.getMessage());
        assertTrue(s.getMessage().startsWith("the receiver cancelled: interrupted"), s.getMessage());
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.INTERRUPTED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("receiving was interrupted after "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the partial file is kept for resuming"), e.getMessage());
        assertTrue(Files.exists(targetDir.resolve(".big.bin.rtcat-part")));
    }

    @Test
    void aClosedOutputStreamEndsTheReceiveAndTellsTheSenderItCancelled() throws Exception {
        Path big = write(sourceDir.resolve("big.bin"), BIG, 20);
        OutputStream closedAfterAChunk = new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written > 0) {
                    throw new IOException("Broken pipe"); // `| head -c 100` has had its bytes
                }
                written += len;
            }
        };
        Future<BatchResult> received = startReceiver(new BatchReceiver(targetDir, OnExisting.FAIL)
                .toStream(closedAfterAChunk));
        RtcatException s = assertThrows(RtcatException.class,
                () -> sender().send(pair.a(), TransferSource.ofPaths(List.of(big))));
        assertEquals(Kind.PEER_CANCELLED, s.kind(), s.getMessage());
        assertTrue(s.getMessage().startsWith("the receiver cancelled: its output was closed"), s.getMessage());
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.OUTPUT_CLOSED, e.kind(), e.getMessage());
    }

    // --- helpers ---

    /** Breaks the connection once the receiver has written half of {@code file}; leaves the part behind. */
    private void interruptHalfway(Path file) throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        TransferProgress breaker = new TransferProgress() {
            @Override
            public void onBytes(long totalBytesSoFar) {
                if (totalBytesSoFar >= BIG / 2 && broken.compareAndSet(false, true)) {
                    pair.breakConnection();
                }
            }
        };
        BatchReceiver receiver = new BatchReceiver(targetDir, OnExisting.FAIL, TransferDefaults.WINDOW,
                Duration.ofSeconds(20), m -> true, breaker);
        Future<BatchResult> received = startReceiver(receiver);
        RtcatException sendError = assertThrows(RtcatException.class,
                () -> sender().send(pair.a(), TransferSource.ofPaths(List.of(file))));
        assertEquals(Kind.UNAVAILABLE, sendError.kind(), sendError.getMessage());
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().endsWith("the partial file is kept for resuming"), e.getMessage());
        String name = file.getFileName().toString();
        assertFalse(Files.exists(targetDir.resolve(name)));
        assertTrue(Files.size(targetDir.resolve("." + name + ".rtcat-part")) >= BIG / 2);
        assertTrue(Files.exists(targetDir.resolve("." + name + ".rtcat-part.json")));
    }

    private InMemoryChannelPair newPair() {
        InMemoryChannelPair p = new InMemoryChannelPair();
        pairs.add(p);
        return p;
    }

    private RecordingListener playSenderByHand() {
        RecordingListener listener = new RecordingListener();
        pair.a().setListener(listener);
        return listener;
    }

    private static BatchSender sender() {
        return new BatchSender(ProtocolCodec.DEFAULT_CHUNK_SIZE, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofSeconds(20), TransferProgress.NONE);
    }

    private Future<BatchResult> startReceiver(BatchReceiver receiver) {
        InMemoryChannelPair p = pair;
        return pool.submit(() -> receiver.receive(p.b(), FIRST_MESSAGE_TIMEOUT));
    }

    private static RtcatException receiveFailure(Future<BatchResult> received) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class, received::get);
        assertTrue(e.getCause() instanceof RtcatException, () -> "unexpected " + e.getCause());
        return (RtcatException) e.getCause();
    }

    private static Path write(Path file, int size, long seed) throws IOException {
        return Files.write(file, randomBytes(size, seed));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    private static String hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> leftovers = files.filter(p -> p.getFileName().toString().contains(".rtcat-part")).toList();
            assertEquals(List.of(), leftovers);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
