package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void fishCompletionIsUpToDate() throws Exception {
        String committed = Files.readString(Path.of("completions/rtcat.fish"), StandardCharsets.UTF_8);
        assertEquals(Completions.fish(), committed, REGENERATE);
    }

    @Test
    void valuesAndDirectoriesAreCompleted() {
        String bash = Completions.bash();
        assertTrue(bash.contains("video") && bash.contains("VP9") && bash.contains("1080p") && bash.contains("srflx"),
                "enum values for --media, --codec, --expect");
        assertTrue(bash.contains("compgen -d -- \"${curr_word}\" ) ) # directories"), "directories for --out");
        assertFalse(java.util.regex.Pattern.compile("'--out'\\)\n[^\n]*\n[^\n]*\n[^\n]*compgen -f").matcher(bash)
                .find(), "--out must not complete files");
        String fish = Completions.fish();
        assertTrue(fish.contains("-l media -x -a 'video audio both'"), fish);
        assertTrue(fish.contains("-l out -x -a '(__fish_complete_directories)'"), fish);
    }

    @Test
    void zshLeavesCompinitToTheUser() {
        assertFalse(Completions.zsh().contains("&& compinit"), Completions.zsh());
    }

    @Test
    void completionKnowsEveryCommandAndFlag() {
        String bash = Completions.bash();
        for (String word : new String[] {"loopback", "bench", "--size", "--relay-only", "--ice", "--json"}) {
            assertTrue(bash.contains(word), "completion lacks " + word);
        }
    }
}
