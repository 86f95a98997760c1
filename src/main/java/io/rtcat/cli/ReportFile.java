package io.rtcat.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A report the user asked for by name (--stats-dump, --junit): written whole or not at all. The text goes to a
 * temporary file beside the target, is synced, then renamed over it, so a reader (or a crash) never sees half of
 * it; on failure the temporary file is removed and the old report, if any, stays.
 */
final class ReportFile {

    private ReportFile() {
    }

    static void replace(Path file, String text) throws IOException {
        Path target = file.toAbsolutePath();
        // A fresh, unpredictable name created exclusively: a fixed name in a shared directory (/tmp) could be a
        // link planted by someone else, and writing through it would overwrite their choice of file.
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".rtcat-tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the first error is the one to report
            }
            throw e;
        }
    }
}
