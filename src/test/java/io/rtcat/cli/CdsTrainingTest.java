package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The archive's training run (cds-archive runs it best effort, so only a test notices if it stops working). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CdsTrainingTest {

    @Test
    void theTrainingRunCompletesAndLeavesNothingBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before;
        try (var files = Files.list(tmp)) {
            before = files.filter(p -> p.getFileName().toString().startsWith("rtcat-cds-training")).count();
        }
        CdsTraining.main(new String[0]);
        try (var files = Files.list(tmp)) {
            assertTrue(files.filter(p -> p.getFileName().toString().startsWith("rtcat-cds-training")).count() <= before,
                    "the training's temporary directory is deleted");
        }
    }
}
