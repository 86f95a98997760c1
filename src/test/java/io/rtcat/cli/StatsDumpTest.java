package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsDumpTest {

    @TempDir
    Path dir;

    /** Before: the temp file had a fixed name, so a link planted there made the dump overwrite its target. */
    @Test
    void aLinkPlantedAtTheOldTempNameIsNotWrittenThrough() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Files.createSymbolicLink(dir.resolve(".stats.json.rtcat-tmp"), victim);
        StatsDump.write(dir.resolve("stats.json"), Map.of(), null);
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.readString(dir.resolve("stats.json")).contains("rtcat-stats-dump-1"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temp file left"); // victim, the planted link, stats.json
        }
    }
}
