package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import io.rtcat.transfer.ProtocolCodec.Resume;
import io.rtcat.transfer.ReceivePlan.Planned;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receive plan on a real directory: containment, conflicts, identical files and resume offers. */
class ReceivePlanTest {

    private static final byte[] CONTENT = "the offered content\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectory(root.resolve("in"));
    }

    @Test
    void namesResolveInsideTheDirectoryWithRelativeNames() throws Exception {
        List<Planned> plan = plan(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("a/b/c.txt"), entry("top.txt"));
        assertEquals(dir.resolve("a/b/c.txt"), plan.get(0).target);
        assertEquals("a/b/c.txt", plan.get(0).relativeName);
        assertEquals("top.txt", plan.get(1).relativeName);
        assertFalse(plan.get(0).present);
        assertFalse(Files.exists(dir.resolve("a")), "planning writes nothing");
    }

    @Test
    void unsafeNameIsRefused() {
        TransferFailure f = refusal(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("../escape.txt"));
        assertEquals(Kind.PROTOCOL, f.kind());
        assertEquals(ProtocolCodec.CODE_NAME, f.code());
        assertEquals("unsafe file name from peer: \"../escape.txt\"", f.getMessage());
    }

    @Test
    void duplicatesAndFileDirectoryClashesAreRefused() {
        assertEquals("peer lists x/a.txt twice",
                refusal(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("x/a.txt"), entry("x/a.txt")).getMessage());
        assertEquals("peer lists d both as a file and as a directory",
                refusal(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("d"), entry("d/e.txt")).getMessage());
    }

    @Test
    void anEmptyListIsAProtocolError() {
        TransferFailure f = refusal(Sinks.Mode.RESUMABLE, OnExisting.FAIL);
        assertEquals("peer offered an empty file list", f.getMessage());
        assertEquals(ProtocolCodec.CODE_PROTOCOL, f.code());
    }

    @Test
    void aSymbolicLinkLeadingOutsideIsRefused() throws Exception {
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        TransferFailure f = refusal(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("link/x.txt"));
        assertEquals(Kind.CANT_CREATE, f.kind());
        assertEquals(ProtocolCodec.CODE_NAME, f.code());
        assertEquals("cannot create " + dir.resolve("link/x.txt") + ": " + dir.resolve("link")
                + " is a symbolic link leading outside " + dir + "; nothing was saved", f.getMessage());
        assertEquals("cannot create link/x.txt: it would be written through a symbolic link", f.peerMessage());
    }

    @Test
    void aSymbolicLinkInsideTheDirectoryIsFine() throws Exception {
        Files.createDirectory(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
        assertEquals(1, plan(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("alias/x.txt")).size());
    }

    @Test
    void aFileWhereADirectoryIsNeededIsRefused() throws Exception {
        Files.writeString(dir.resolve("f"), "a file");
        TransferFailure f = refusal(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("f/x.txt"));
        assertEquals("cannot create " + dir.resolve("f/x.txt") + ": f is not a directory", f.getMessage());
    }

    @Test
    void aDifferentExistingFileIsAConflictUnlessRenamingOrOverwriting() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "precious");
        TransferFailure f = refusal(Sinks.Mode.RESUMABLE, OnExisting.FAIL, entry("a.txt"));
        assertEquals(Kind.CANT_CREATE, f.kind());
        assertEquals(ProtocolCodec.CODE_EXISTS, f.code());
        assertEquals("cannot create " + dir.resolve("a.txt") + ": file exists", f.getMessage());
        assertEquals("cannot create a.txt: file exists", f.peerMessage());
        assertEquals("use --force to overwrite or --rename to keep both", f.hint());
        assertEquals(1, plan(Sinks.Mode.RESUMABLE, OnExisting.RENAME, entry("a.txt")).size());
        assertEquals(1, plan(Sinks.Mode.RESUMABLE, OnExisting.OVERWRITE, entry("a.txt")).size());
    }

    @Test
    void overwritingADirectoryIsRefused() throws Exception {
        Files.createDirectory(dir.resolve("d.txt"));
        assertEquals("cannot create " + dir.resolve("d.txt") + ": is a directory",
                refusal(Sinks.Mode.RESUMABLE, OnExisting.OVERWRITE, entry("d.txt")).getMessage());
    }

    @Test
    void anIdenticalFileIsPresentAndOfferedWhole() throws Exception {
        Files.write(dir.resolve("same.txt"), CONTENT);
        ReceivePlan plan = new ReceivePlan(dir, OnExisting.FAIL, Sinks.Mode.RESUMABLE);
        List<Planned> planned = plan.check(Manifest.of(List.of(entry("same.txt"))));
        assertTrue(planned.get(0).present);
        List<Resume> resume = plan.prepareResume(planned);
        assertEquals(1, resume.size());
        assertEquals(CONTENT.length, resume.get(0).offset());
        assertEquals(CONTENT.length, planned.get(0).offered);
    }

    @Test
    void aOneShotReceiveRefusesEvenAnIdenticalFileAndOffersNothing() throws Exception {
        Files.write(dir.resolve("same.txt"), CONTENT);
        assertEquals("cannot create " + dir.resolve("same.txt") + ": file exists",
                refusal(Sinks.Mode.ONE_SHOT, OnExisting.FAIL, entry("same.txt")).getMessage());
        writePart("part.txt", CONTENT.length / 2);
        ReceivePlan plan = new ReceivePlan(dir, OnExisting.FAIL, Sinks.Mode.ONE_SHOT);
        assertEquals(List.of(), plan.prepareResume(plan.check(Manifest.of(List.of(entry("part.txt"))))));
        assertTrue(ResumablePart.forTarget(dir.resolve("part.txt")).exists(), "a one-shot receive leaves parts alone");
    }

    @Test
    void aMatchingPartIsOfferedAndAStaleOneRemoved() throws Exception {
        writePart("part.txt", 5000);
        writePart("stale.txt", 5000);
        Manifest.Entry other = new Manifest.Entry("stale.txt", CONTENT.length, sha256("something else"), null);
        ReceivePlan plan = new ReceivePlan(dir, OnExisting.FAIL, Sinks.Mode.RESUMABLE);
        List<Planned> planned = plan.check(Manifest.of(List.of(entry("part.txt"), other)));
        List<Resume> resume = plan.prepareResume(planned);
        assertEquals(1, resume.size());
        assertEquals("part.txt", resume.get(0).name());
        assertEquals(5000, resume.get(0).offset());
        assertEquals(5000, planned.get(0).offered);
        assertEquals(0, planned.get(1).offered);
        assertFalse(ResumablePart.forTarget(dir.resolve("stale.txt")).exists(), "a part of other content goes");
    }

    @Test
    void aStreamTakesExactlyOneFileAndNeverLooksAtTheDisk() throws Exception {
        TransferFailure f = refusal(Sinks.Mode.STREAM, OnExisting.FAIL, entry("a"), entry("b"));
        assertEquals(Kind.USAGE, f.kind());
        assertEquals("--stdout needs exactly one file; the sender offers 2", f.getMessage());
        Files.writeString(dir.resolve("a"), "exists, but a stream does not care");
        ReceivePlan plan = new ReceivePlan(dir, OnExisting.FAIL, Sinks.Mode.STREAM);
        assertEquals(List.of(), plan.prepareResume(plan.check(Manifest.of(List.of(entry("a"))))));
    }

    // --- helpers ---

    private List<Planned> plan(Sinks.Mode mode, OnExisting onExisting, Manifest.Entry... entries)
            throws RtcatException {
        return new ReceivePlan(dir, onExisting, mode).check(Manifest.of(List.of(entries)));
    }

    private TransferFailure refusal(Sinks.Mode mode, OnExisting onExisting, Manifest.Entry... entries) {
        return assertThrows(TransferFailure.class, () -> plan(mode, onExisting, entries));
    }

    private static Manifest.Entry entry(String name) {
        return new Manifest.Entry(name, CONTENT.length, sha256(CONTENT), null);
    }

    /** The first {@code length} bytes of {@link #CONTENT} as an interrupted receive leaves them. */
    private void writePart(String name, int length) throws IOException {
        ResumablePart part = ResumablePart.forTarget(dir.resolve(name));
        try (FileChannel out = part.open(0, CONTENT.length, sha256(CONTENT), Sha256.newDigest())) {
            out.write(ByteBuffer.wrap(CONTENT, 0, length));
        }
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
