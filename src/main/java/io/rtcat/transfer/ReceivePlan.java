package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.transfer.ProtocolCodec.Resume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where offered files go, decided before anything is written: names resolved inside the directory
 * ({@link SafeName}), duplicates, symbolic links that would lead outside the directory, conflicts with
 * existing files ({@link OnExisting}), files already present with the offered content, and resume offers
 * for partial files of an interrupted run. Pure filesystem logic, no channel.
 */
final class ReceivePlan {

    /** One manifest entry and what was decided about it. */
    static final class Planned {
        final Manifest.Entry entry;
        final Path target;
        final String relativeName;
        final ResumablePart part;
        boolean present; // identical file already at the target
        long offered; // resume offset offered to the sender
        boolean received;

        Planned(Manifest.Entry entry, Path target, String relativeName) {
            this.entry = entry;
            this.target = target;
            this.relativeName = relativeName;
            this.part = ResumablePart.forTarget(target);
        }
    }

    private final Path directory;
    private final OnExisting onExisting;
    private final Sinks.Mode mode;

    ReceivePlan(Path directory, OnExisting onExisting, Sinks.Mode mode) {
        this.directory = directory.toAbsolutePath().normalize();
        this.onExisting = onExisting;
        this.mode = mode;
    }

    /** Every check that can refuse the transfer, before anything is written. */
    List<Planned> check(Manifest manifest) throws RtcatException {
        int n = manifest.files().size();
        if (mode == Sinks.Mode.STREAM && n != 1) {
            throw ReceiveFailures.stdoutNeedsOneFile(n);
        }
        if (n == 0) {
            throw ReceiveFailures.protocol("peer offered an empty file list");
        }
        List<Planned> plan = new ArrayList<>(n);
        Set<String> names = new HashSet<>();
        Set<String> directories = new HashSet<>();
        for (Manifest.Entry e : manifest.files()) {
            Path target = resolve(e.name());
            String relative = relativeName(target);
            if (!names.add(relative)) {
                throw ReceiveFailures.name("peer lists " + relative + " twice");
            }
            for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
                directories.add(relative.substring(0, slash));
            }
            plan.add(new Planned(e, target, relative));
        }
        for (String dir : directories) {
            if (names.contains(dir)) {
                throw ReceiveFailures.name("peer lists " + dir + " both as a file and as a directory");
            }
        }
        if (mode != Sinks.Mode.STREAM) {
            Path realBase = realBase();
            for (Planned p : plan) {
                checkContained(p.target, p.relativeName, realBase);
            }
            for (Planned p : plan) {
                checkConflict(p);
            }
        }
        return plan;
    }

    /** Resolves an offered name inside the directory. */
    Path resolve(String name) throws TransferFailure {
        try {
            return SafeName.resolve(directory, name);
        } catch (RtcatException e) {
            throw TransferFailure.of(ProtocolCodec.CODE_NAME, e);
        }
    }

    /** {@code path} relative to the directory, with forward slashes. */
    String relativeName(Path path) {
        return directory.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    /** Refuses a target whose parent directories lead, through a symbolic link, outside the directory. */
    void checkContained(Path target, String relative) throws RtcatException {
        checkContained(target, relative, realBase());
    }

    /** A sender without manifest: refuses a taken target before any data flows. */
    void refuseIfTaken(Path target, String relative) throws TransferFailure {
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (onExisting == OnExisting.FAIL && exists) {
            throw ReceiveFailures.cannotCreate(target, relative, "file exists", ReceiveFailures.CONFLICT_HINT);
        }
        if (onExisting == OnExisting.OVERWRITE && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw ReceiveFailures.cannotCreate(target, relative, "is a directory", "use --rename to keep both");
        }
    }

    /** Resume offers for partial files (and identical files) whose description matches the manifest. */
    List<Resume> prepareResume(List<Planned> plan) {
        List<Resume> resume = new ArrayList<>();
        if (mode != Sinks.Mode.RESUMABLE) {
            return resume;
        }
        for (Planned p : plan) {
            Manifest.Entry e = p.entry;
            try {
                if (p.present) {
                    int blockSize = ResumablePart.blockSize(e.size());
                    resume.add(new Resume(e.name(), e.size(), blockSize,
                            ResumablePart.blockHashes(p.target, e.size(), blockSize)));
                    p.offered = e.size();
                    continue;
                }
                long length = e.size() >= 0 && e.sha256() != null ? p.part.matchingLength(e.size(), e.sha256()) : -1;
                if (length > 0) {
                    int blockSize = ResumablePart.blockSize(length);
                    resume.add(new Resume(e.name(), length, blockSize,
                            ResumablePart.blockHashes(p.part.path, length, blockSize)));
                    p.offered = length;
                } else if (length < 0 && p.part.exists()) {
                    p.part.delete(); // stale: another content, or no description
                }
            } catch (IOException x) {
                p.offered = 0;
                p.present = false;
                p.part.delete();
            }
        }
        return resume;
    }

    /** The real path of the target directory, or of its nearest existing ancestor plus the rest. */
    private Path realBase() throws RtcatException {
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        try {
            Path real = existing == null ? directory.getRoot() : existing.toRealPath();
            while (!missing.isEmpty()) {
                real = real.resolve(missing.pop());
            }
            return real;
        } catch (IOException e) {
            throw ReceiveFailures.cannotUse(directory, e);
        }
    }

    private void checkContained(Path target, String relative, Path realBase) throws RtcatException {
        Path parent = target.getParent();
        if (parent.equals(directory)) {
            return;
        }
        Path p = directory;
        for (Path component : directory.relativize(parent)) {
            p = p.resolve(component);
            if (Files.isSymbolicLink(p)) {
                Path real;
                try {
                    real = p.toRealPath();
                } catch (IOException e) {
                    throw ReceiveFailures.escapes(directory, target, relative, p);
                }
                if (!real.startsWith(realBase)) {
                    throw ReceiveFailures.escapes(directory, target, relative, p);
                }
                if (!Files.isDirectory(real)) {
                    throw ReceiveFailures.cannotCreate(target, relative, relativeName(p) + " is not a directory", null);
                }
            } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw ReceiveFailures.cannotCreate(target, relative, relativeName(p) + " is not a directory", null);
                }
            } else {
                return; // nothing below exists yet
            }
        }
    }

    private void checkConflict(Planned p) throws RtcatException {
        Path target = p.target;
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (onExisting == OnExisting.FAIL) {
            if (identical(p)) {
                p.present = true;
                return;
            }
            throw ReceiveFailures.cannotCreate(target, p.relativeName, "file exists", ReceiveFailures.CONFLICT_HINT);
        }
        if (onExisting == OnExisting.OVERWRITE && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw ReceiveFailures.cannotCreate(target, p.relativeName, "is a directory", "use --rename to keep both");
        }
    }

    /**
     * The existing target already holds exactly the offered content. Only when resuming: a one-shot receive
     * (loopback) refuses any existing file, as a copy that stands alone should.
     */
    private boolean identical(Planned p) {
        Manifest.Entry e = p.entry;
        try {
            return mode == Sinks.Mode.RESUMABLE && e.size() >= 0 && e.sha256() != null
                    && Files.isRegularFile(p.target, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(p.target) == e.size()
                    && e.sha256().equals(ResumablePart.sha256(p.target));
        } catch (IOException x) {
            return false;
        }
    }
}
