package io.rtcat.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Moves a finished temp file to its final name without ever replacing a file by surprise. */
final class Placement {

    static final int MAX_RENAME_ATTEMPTS = 10_000;

    private Placement() {}

    /**
     * Puts {@code temp} at {@code target} according to {@code policy} and returns the final path.
     *
     * @throws FileAlreadyExistsException with {@link OnExisting#FAIL} when the target exists
     */
    static Path place(Path temp, Path target, OnExisting policy) throws IOException {
        switch (policy) {
            case OVERWRITE -> {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return target;
            }
            case RENAME -> {
                for (int n = 0; n <= MAX_RENAME_ATTEMPTS; n++) {
                    Path candidate = n == 0 ? target : numbered(target, n);
                    try {
                        placeNoClobber(temp, candidate);
                        return candidate;
                    } catch (FileAlreadyExistsException e) {
                        // taken: try the next number
                    }
                }
                throw new FileAlreadyExistsException(target.toString(), null,
                        "no free name up to (" + MAX_RENAME_ATTEMPTS + ")");
            }
            default -> {
                placeNoClobber(temp, target);
                return target;
            }
        }
    }

    /**
     * A hard link is created atomically and fails if the name exists, unlike a check-then-rename.
     * File systems without hard links fall back to a plain move, which still refuses an existing target.
     */
    static void placeNoClobber(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(temp, target);
            return;
        }
        Files.delete(temp);
    }

    /** {@code report.pdf} → {@code report (n).pdf}; {@code .bashrc} and {@code README} get the suffix at the end. */
    static Path numbered(Path target, int n) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0
                ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot)
                : name + " (" + n + ")";
        return target.resolveSibling(numbered);
    }

    /** Makes the new directory entry durable. Not all platforms allow opening directories; that is fine. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
