package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.peer.MessageChannel;
import io.rtcat.testing.InMemoryChannelPair;
import io.rtcat.testing.RecordingListener;
import io.rtcat.transfer.ProtocolCodec.FileEnd;
import io.rtcat.transfer.ProtocolCodec.FileStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
/**
 * One file over the batch protocol ({@link BatchSender} to {@link BatchReceiver#withoutResume}, as loopback and
 * bench run it, and hand-written browser-style senders): integrity, conflicts, flow control against a slow disk,
 * and failures that leave nothing behind.
 */
class OneFileTransferTest {

    private static final Duration FIRST_MESSAGE_TIMEOUT = Duration.ofSeconds(10);
    private static final long MTIME = 1_600_000_000_123L;

    @TempDir
    Path root;
    private Path sourceDir;
    private Path targetDir;
    private InMemoryChannelPair pair;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws IOException {
        sourceDir = Files.createDirectory(root.resolve("src"));
        targetDir = Files.createDirectory(root.resolve("dst"));
        pair = new InMemoryChannelPair();
    }

    @AfterEach
    void tearDown() {
        pair.close();
        pool.shutdownNow();
        assertEquals(List.of(), pair.listenerFailures(), "listeners must not throw");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1024, 3 * 1024 * 1024 + 12345})
    void filesArriveIdenticalWithMtime(int size) throws Exception {
        Path source = writeSource("data.bin", size);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));

        BatchResult.FileResult sent = sender().send(pair.a(), List.of(TransferSource.ofFile(source))).files().get(0);
        BatchResult.FileResult result = received.get().files().get(0);

        Path target = targetDir.resolve("data.bin");
        assertEquals(target, result.path());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(target));
        assertEquals(MTIME, Files.getLastModifiedTime(target).toMillis());
        assertEquals(size, result.bytes());
        assertEquals(sha256(source), result.sha256());
        assertTrue(result.verified());
        assertTrue(sent.verified());
        assertEquals(result.sha256(), sent.sha256());
        assertEquals("data.bin", sent.savedAs());
        assertEquals(size, sent.bytes());
        assertNoLeftovers();
    }

    @Test
    void withoutSyncSavesTheSameFile() throws Exception {
        Path source = writeSource("scratch.bin", 300_000);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL).withoutSync());
        sender().send(pair.a(), List.of(TransferSource.ofFile(source)));
        BatchResult.FileResult result = received.get().files().get(0);
        assertTrue(result.verified());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(targetDir.resolve("scratch.bin")));
        assertEquals(MTIME, Files.getLastModifiedTime(targetDir.resolve("scratch.bin")).toMillis());
        assertNoLeftovers();
    }

    @Test
    void boundedChannelBufferStillDeliversEverything() throws Exception {
        pair.close();
        pair = new InMemoryChannelPair(64 * 1024, 128 * 1024); // small messages, senders block often
        TransferSource source = TransferSource.generated("bp.bin", 3_000_000, 12);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        BatchResult.FileResult sent = sender().send(pair.a(), List.of(source)).files().get(0);
        assertEquals(received.get().files().get(0).sha256(), sent.sha256());
        assertArrayEquals(content(source), Files.readAllBytes(targetDir.resolve("bp.bin")));
    }

    @Test
    void nestedNameCreatesDirectories() throws Exception {
        TransferSource source = TransferSource.generated("a/b/c.txt", 100_000, 7);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        sender().send(pair.a(), List.of(source));
        assertEquals(targetDir.resolve("a/b/c.txt"), received.get().files().get(0).path());
        assertArrayEquals(content(source), Files.readAllBytes(targetDir.resolve("a/b/c.txt")));
    }

    @Test
    void acceptsSha256InFileStart() throws Exception {
        playSenderByHand();
        byte[] data = randomBytes(70_000, 3);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        pair.a().sendText(ProtocolCodec.encode(new FileStart("s.bin", data.length, 2L, 1, 65536, null, hex(data))));
        pair.a().sendBinary(ByteBuffer.wrap(data, 0, 65536));
        pair.a().sendBinary(ByteBuffer.wrap(data, 65536, data.length - 65536));
        pair.a().sendText(ProtocolCodec.encode(new FileEnd(null, null)));
        assertTrue(received.get().files().get(0).verified());
    }

    @Test
    void sendsToBrowserReceiverWithoutHello() throws Exception {
        RecordingListener browser = new RecordingListener();
        pair.b().setListener(browser);
        BatchSender sender = new BatchSender(65536, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(10), TransferProgress.NONE);
        BatchResult sent = sender.send(pair.a(), List.of(TransferSource.generated("g.bin", 200_000, 1)));
        assertFalse(sent.files().get(0).verified());
        assertNotNull(browser.awaitText(t -> t.contains("\"type\":\"file-end\""), 10, TimeUnit.SECONDS));
    }

    @Test
    void corruptedChunkFromHandWrittenSenderFails() throws Exception {
        RecordingListener peer = new RecordingListener();
        pair.a().setListener(peer);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        byte[] data = randomBytes(100_000, 5);
        String sha = hex(data);
        pair.a().sendText(ProtocolCodec.encode(new FileStart("c.bin", data.length, 2L, 1, 65536, null, null)));
        byte[] corrupted = data.clone();
        corrupted[70_000] ^= 1;
        pair.a().sendBinary(ByteBuffer.wrap(corrupted, 0, 65536));
        pair.a().sendBinary(ByteBuffer.wrap(corrupted, 65536, data.length - 65536));
        pair.a().sendText(ProtocolCodec.encode(new FileEnd(sha, (long) data.length)));

        RtcatException e = receiveFailure(received);
        assertEquals(Kind.FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("checksum mismatch for "), e.getMessage());
        assertNotNull(peer.awaitText(t -> t.contains("\"code\":\"checksum\""), 10, TimeUnit.SECONDS));
        assertFalse(Files.exists(targetDir.resolve("c.bin")));
        assertNoLeftovers();
    }

    @Test
    void corruptionInTransitFailsBothSides() throws Exception {
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        MessageChannel corrupting = new CorruptingChannel(pair.a(), 3);
        RtcatException sendError = assertThrows(RtcatException.class,
                () -> sender().send(corrupting, List.of(TransferSource.generated("x.bin", 1_000_000, 9))));
        assertEquals(Kind.FAILED, sendError.kind());
        assertTrue(sendError.getMessage().startsWith("receiver refused: checksum mismatch"), sendError.getMessage());
        assertEquals(Kind.FAILED, receiveFailure(received).kind());
        assertFalse(Files.exists(targetDir.resolve("x.bin")));
        assertNoLeftovers();
    }

    @Test
    void brokenConnectionFailsBothSidesAndLeavesNothing() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        // Break once the receiver has written 1 MB, so it has certainly seen the file offer.
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL, TransferDefaults.WINDOW,
                receivedSoFar -> {
                    if (receivedSoFar >= 1_000_000 && broken.compareAndSet(false, true)) {
                        pair.breakConnection();
                    }
                }));
        RtcatException sendError = assertThrows(RtcatException.class,
                () -> sender().send(pair.a(), List.of(TransferSource.generated("big/part.bin", 5_000_000, 2))));
        assertEquals(Kind.UNAVAILABLE, sendError.kind(), sendError.getMessage());
        assertTrue(sendError.getMessage().startsWith("peer closed the connection after "), sendError.getMessage());

        RtcatException receiveError = receiveFailure(received);
        assertEquals(Kind.UNAVAILABLE, receiveError.kind(), receiveError.getMessage());
        assertTrue(receiveError.getMessage().endsWith("of 5000000 bytes of big/part.bin; nothing was saved"),
                receiveError.getMessage());
        assertFalse(Files.exists(targetDir.resolve("big")), "directories created for the file are removed too");
        assertNoLeftovers();
    }

    @Test
    void existingTargetIsRefusedOnBothSides() throws Exception {
        Path existing = Files.writeString(targetDir.resolve("report.pdf"), "precious");
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        RtcatException sendError = assertThrows(RtcatException.class,
                () -> sender().send(pair.a(), List.of(TransferSource.generated("report.pdf", 3_000_000, 4))));
        assertEquals(Kind.CANT_CREATE, sendError.kind());
        assertEquals("receiver refused: cannot create report.pdf: file exists", sendError.getMessage());

        RtcatException receiveError = receiveFailure(received);
        assertEquals(Kind.CANT_CREATE, receiveError.kind());
        assertEquals("cannot create " + existing.toAbsolutePath() + ": file exists", receiveError.getMessage());
        assertEquals("use --force to overwrite or --rename to keep both", receiveError.hint());
        assertEquals("precious", Files.readString(existing));
        assertNoLeftovers();
    }

    @Test
    void overwriteReplacesExistingFile() throws Exception {
        Files.writeString(targetDir.resolve("report.pdf"), "old");
        TransferSource source = TransferSource.generated("report.pdf", 100_000, 4);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.OVERWRITE));
        sender().send(pair.a(), List.of(source));
        assertEquals(targetDir.resolve("report.pdf"), received.get().files().get(0).path());
        assertArrayEquals(content(source), Files.readAllBytes(targetDir.resolve("report.pdf")));
        assertNoLeftovers();
    }

    @Test
    void renameKeepsBoth() throws Exception {
        Files.writeString(targetDir.resolve("report.pdf"), "old");
        TransferSource source = TransferSource.generated("report.pdf", 100_000, 4);
        Future<BatchResult> received = startReceiver(receiver(OnExisting.RENAME));
        BatchResult.FileResult sent = sender().send(pair.a(), List.of(source)).files().get(0);
        assertEquals(targetDir.resolve("report (1).pdf"), received.get().files().get(0).path());
        assertEquals("report (1).pdf", sent.savedAs());
        assertEquals("old", Files.readString(targetDir.resolve("report.pdf")));
        assertArrayEquals(content(source), Files.readAllBytes(targetDir.resolve("report (1).pdf")));
        assertNoLeftovers();
    }

    /** The resumable part files of {@code rtcat receive} and the temp files of loopback both go through the hook. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tinyWindowBoundsReceiverQueueWithSlowDisk(boolean resumable) throws Exception {
        long window = 64 * 1024;
        AtomicLong hooked = new AtomicLong();
        BatchReceiver receiver = new BatchReceiver(targetDir, OnExisting.FAIL, window, Duration.ofSeconds(20),
                m -> true, TransferProgress.NONE);
        receiver = (resumable ? receiver : receiver.withoutResume()).withWriteHook((offset, length) -> {
            hooked.addAndGet(length);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        });
        TransferSource source = TransferSource.generated("slow.bin", 2 * 1024 * 1024, 11);
        Future<BatchResult> received = startReceiver(receiver);
        BatchSender sender = new BatchSender(16 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofSeconds(20), TransferProgress.NONE);
        assertTrue(sender.send(pair.a(), List.of(source)).files().get(0).verified());
        received.get();
        assertEquals(source.size(), hooked.get(), "every write went through the hook");
        assertTrue(receiver.maxQueuedBytes() <= window, "queued up to " + receiver.maxQueuedBytes());
        assertTrue(receiver.maxQueuedBytes() > 0);
        assertArrayEquals(content(source), Files.readAllBytes(targetDir.resolve("slow.bin")));
    }

    @Test
    void peerIgnoringFlowControlIsCutOff() throws Exception {
        playSenderByHand();
        CountDownLatch diskStuck = new CountDownLatch(1);
        BatchReceiver receiver = receiver(OnExisting.FAIL, 64 * 1024, b -> { }).withWriteHook((offset, length) -> {
                    try {
                        diskStuck.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                });
        Future<BatchResult> received = startReceiver(receiver);
        byte[] chunk = new byte[16 * 1024];
        int chunks = 64; // 1 MiB, far beyond 2 x 64 KiB + one maximal chunk
        pair.a().sendText(ProtocolCodec.encode(FileStart.browser("flood.bin", (long) chunk.length * chunks, chunks)));
        for (int i = 0; i < chunks; i++) {
            pair.a().sendBinary(ByteBuffer.wrap(chunk));
        }
        pair.a().drain(10_000); // everything has reached the receiver's listener
        diskStuck.countDown();
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.PROTOCOL, e.kind());
        assertEquals("peer ignored flow control", e.getMessage());
        assertNoLeftovers();
    }

    @Test
    void diskFullIsAnIoErrorOnTheReceiver() throws Exception {
        BatchReceiver receiver = receiver(OnExisting.FAIL, TransferDefaults.WINDOW, b -> { }).withWriteHook((offset, length) -> {
                    if (offset >= 200_000) {
                        throw new IOException("No space left on device");
                    }
                });
        Future<BatchResult> received = startReceiver(receiver);
        RtcatException sendError = assertThrows(RtcatException.class,
                () -> sender().send(pair.a(), List.of(TransferSource.generated("full.bin", 1_000_000, 4))));
        assertEquals(Kind.FAILED, sendError.kind());
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.IO, e.kind());
        assertTrue(e.getMessage().startsWith("writing full.bin failed after "), e.getMessage()); // names as the batch path does
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertFalse(Files.exists(targetDir.resolve("full.bin")));
        assertNoLeftovers();
    }

    @Test
    void unsafeNameIsAProtocolErrorOnBothSides() throws Exception {
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        RtcatException sendError = assertThrows(RtcatException.class,
                () -> sender().send(pair.a(), List.of(TransferSource.generated("../escape.txt", 10, 1))));
        assertEquals(Kind.PROTOCOL, sendError.kind());
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.PROTOCOL, e.kind());
        assertEquals("unsafe file name from peer: \"../escape.txt\"", e.getMessage());
        assertFalse(Files.exists(root.resolve("escape.txt")));
        assertNoLeftovers();
    }

    @Test
    void binaryBeforeFileStartIsAProtocolError() throws Exception {
        playSenderByHand();
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        pair.a().sendBinary(ByteBuffer.wrap(new byte[10]));
        assertEquals(Kind.PROTOCOL, receiveFailure(received).kind());
    }

    @Test
    void malformedJsonIsAProtocolError() throws Exception {
        playSenderByHand();
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        pair.a().sendText("{not json");
        assertEquals(Kind.PROTOCOL, receiveFailure(received).kind());
    }

    @Test
    void sizeMismatchFails() throws Exception {
        playSenderByHand();
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        pair.a().sendText(ProtocolCodec.encode(FileStart.browser("short.bin", 100, 1)));
        pair.a().sendBinary(ByteBuffer.wrap(new byte[99]));
        pair.a().sendText("{\"type\":\"file-end\",\"someFutureField\":true}");
        RtcatException e = receiveFailure(received);
        assertEquals(Kind.FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("received 99 of 100 bytes"), e.getMessage());
        assertNoLeftovers();
    }

    @Test
    void unknownMessageTypesAreIgnored() throws Exception {
        playSenderByHand();
        Future<BatchResult> received = startReceiver(receiver(OnExisting.FAIL));
        pair.a().sendText("{\"type\":\"greeting\",\"from\":\"the future\"}");
        pair.a().sendText(ProtocolCodec.encode(FileStart.browser("u.txt", 2, 1)));
        pair.a().sendText("{\"type\":\"progress-note\"}");
        pair.a().sendBinary(ByteBuffer.wrap(new byte[] {'h', 'i'}));
        pair.a().sendText("{\"type\":\"file-end\"}");
        assertEquals("hi", Files.readString(received.get().files().get(0).path()));
    }

    @Test
    void senderWaitsForFirstMessageOnlyUntilTimeout() {
        BatchReceiver receiver = receiver(OnExisting.FAIL);
        RtcatException e = assertThrows(RtcatException.class, () -> receiver.receive(pair.b(), Duration.ofMillis(50)));
        assertEquals(Kind.TIMEOUT, e.kind());
    }

    // --- helpers ---

    /** The test writes the sender's messages itself; it still listens, as a browser page would. */
    private RecordingListener playSenderByHand() {
        RecordingListener listener = new RecordingListener();
        pair.a().setListener(listener);
        return listener;
    }

    private static BatchSender sender() {
        return new BatchSender(ProtocolCodec.DEFAULT_CHUNK_SIZE, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofSeconds(20), TransferProgress.NONE);
    }

    /** As loopback receives: nothing kept for resuming. */
    private BatchReceiver receiver(OnExisting onExisting) {
        return new BatchReceiver(targetDir, onExisting).withoutResume();
    }

    private BatchReceiver receiver(OnExisting onExisting, long window, LongConsumer bytesSoFar) {
        return new BatchReceiver(targetDir, onExisting, window, TransferDefaults.IDLE_TIMEOUT, m -> true,
                new TransferProgress() {
                    @Override
                    public void onBytes(long totalBytesSoFar) {
                        bytesSoFar.accept(totalBytesSoFar);
                    }
                }).withoutResume();
    }

    private Future<BatchResult> startReceiver(BatchReceiver receiver) {
        return pool.submit(() -> receiver.receive(pair.b(), FIRST_MESSAGE_TIMEOUT));
    }

    private static RtcatException receiveFailure(Future<BatchResult> received) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class, received::get);
        assertTrue(e.getCause() instanceof RtcatException, () -> "unexpected " + e.getCause());
        return (RtcatException) e.getCause();
    }

    private Path writeSource(String name, int size) throws IOException {
        Path file = Files.write(sourceDir.resolve(name), randomBytes(size, size));
        Files.setLastModifiedTime(file, FileTime.fromMillis(MTIME));
        return file;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    private static byte[] content(TransferSource source) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(source.size()));
        try (ReadableByteChannel in = source.open()) {
            while (all.hasRemaining() && in.read(all) >= 0) {
                // keep reading
            }
        }
        return all.array();
    }

    private static String sha256(Path file) throws Exception {
        return hex(Files.readAllBytes(file));
    }

    private static String hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> leftovers = files.filter(p -> p.getFileName().toString().contains(PartFile.MARKER)).toList();
            assertEquals(List.of(), leftovers);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Flips one bit of the n-th binary message, like a faulty link the checksum must catch. */
    private static final class CorruptingChannel implements MessageChannel {
        private final MessageChannel delegate;
        private final int corruptIndex;
        private final AtomicInteger binaryCount = new AtomicInteger();

        CorruptingChannel(MessageChannel delegate, int corruptIndex) {
            this.delegate = delegate;
            this.corruptIndex = corruptIndex;
        }

        @Override
        public void setListener(Listener listener) {
            delegate.setListener(listener);
        }

        @Override
        public void sendText(String text) throws IOException, InterruptedException {
            delegate.sendText(text);
        }

        @Override
        public void sendBinary(ByteBuffer data) throws IOException, InterruptedException {
            if (binaryCount.getAndIncrement() == corruptIndex) {
                byte[] copy = new byte[data.remaining()];
                data.get(copy);
                copy[copy.length / 2] ^= 0x10;
                data = ByteBuffer.wrap(copy);
            }
            delegate.sendBinary(data);
        }

        @Override
        public void drain(long timeoutMillis) throws IOException, InterruptedException {
            delegate.drain(timeoutMillis);
        }

        @Override
        public int maxMessageSize() {
            return delegate.maxMessageSize();
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
