package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFileTest {

    @TempDir
    Path dir;

    @Test
    void writesTheTextAndLeavesNoTemporaryFile() throws IOException {
        Path report = dir.resolve("doctor.xml");
        ReportFile.replace(report, "<testsuite/>\n");
        assertEquals("<testsuite/>\n", Files.readString(report, StandardCharsets.UTF_8));
        assertEquals(List.of(report), list(dir));
    }

    @Test
    void replacesAnOlderReportWhole() throws IOException {
        Path report = dir.resolve("stats.json");
        Files.writeString(report, "{\"old\": \"a much longer report than the new one\"}\n");
        ReportFile.replace(report, "{}\n");
        assertEquals("{}\n", Files.readString(report));
        assertEquals(List.of(report), list(dir));
    }

    @Test
    void aFailedRenameKeepsWhatWasThereAndCleansUp() throws IOException {
        Path report = dir.resolve("taken");
        Files.createDirectory(report);
        Files.writeString(report.resolve("keep"), "mine");
        assertThrows(IOException.class, () -> ReportFile.replace(report, "text"));
        assertEquals("mine", Files.readString(report.resolve("keep")));
        assertEquals(List.of(report), list(dir));
    }

    @Test
    void aMissingDirectoryIsAnError() {
        assertThrows(IOException.class, () -> ReportFile.replace(dir.resolve("no/such/dir/report"), "text"));
        assertTrue(Files.notExists(dir.resolve("no")));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
