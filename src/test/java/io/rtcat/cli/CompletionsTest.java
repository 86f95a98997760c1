package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed completion scripts must match what the current command model generates. */
class CompletionsTest {

    private static final String REGENERATE = "completions/ is stale: run scripts/gen-completions and commit";

    @Test
    void bashCompletionIsUpToDate() throws Exception {
        String committed = Files.readString(Path.of("completions/rtcat.bash"), StandardCharsets.UTF_8);
        assertEquals(Completions.bash(), committed, REGENERATE);
    }

    @Test
    void zshCompletionIsUpToDate() throws Exception {
        String committed = Files.readString(Path.of("completions/_rtcat"), StandardCharsets.UTF_8);
        assertEquals(Completions.zsh(), committed, REGENERATE);
    }

    @Test
    void completionKnowsEveryCommandAndFlag() {
        String bash = Completions.bash();
        for (String word : new String[] {"loopback", "bench", "--size", "--relay-only", "--ice", "--json"}) {
            assertTrue(bash.contains(word), "completion lacks " + word);
        }
    }
}
