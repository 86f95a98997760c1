package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtcat.errors.RtcatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExitCodeTest {

    private static final Map<RtcatException.Kind, Integer> TABLE = new EnumMap<>(Map.ofEntries(
            Map.entry(RtcatException.Kind.FAILED, 1),
            Map.entry(RtcatException.Kind.USAGE, 2),
            Map.entry(RtcatException.Kind.NO_INPUT, 66),
            Map.entry(RtcatException.Kind.UNAVAILABLE, 69),
            Map.entry(RtcatException.Kind.CANT_CREATE, 73),
            Map.entry(RtcatException.Kind.IO, 74),
            Map.entry(RtcatException.Kind.TIMEOUT, 75),
            Map.entry(RtcatException.Kind.PROTOCOL, 76),
            Map.entry(RtcatException.Kind.PEER_CANCELLED, 79),
            Map.entry(RtcatException.Kind.INTERRUPTED, 130),
            Map.entry(RtcatException.Kind.OUTPUT_CLOSED, 141)));

    @Test
    void tableCoversEveryKind() {
        assertEquals(Set.of(RtcatException.Kind.values()), TABLE.keySet(),
                "a new Kind needs an exit code in this test and in ExitCode");
    }

    @ParameterizedTest
    @EnumSource(RtcatException.Kind.class)
    void kindMapsToItsDocumentedCode(RtcatException.Kind kind) {
        int code = ExitCode.of(kind);
        assertEquals(TABLE.get(kind), code, kind.name());
        assertTrue(ExitCode.DESCRIPTIONS.containsKey(String.valueOf(code)), "code " + code + " is not documented");
    }

    @Test
    void kindsMapToDistinctCodes() {
        Set<Integer> seen = new HashSet<>();
        for (RtcatException.Kind kind : RtcatException.Kind.values()) {
            assertTrue(seen.add(ExitCode.of(kind)), "two kinds share exit code " + ExitCode.of(kind));
        }
        assertFalse(seen.contains(ExitCode.OK), "no failure may exit 0");
        assertFalse(seen.contains(ExitCode.INTERNAL), "INTERNAL is for unexpected errors only");
    }

    @Test
    void constantsMatchTheTable() {
        assertEquals(0, ExitCode.OK);
        assertEquals(1, ExitCode.FAILED);
        assertEquals(2, ExitCode.USAGE);
        assertEquals(66, ExitCode.NO_INPUT);
        assertEquals(69, ExitCode.UNAVAILABLE);
        assertEquals(70, ExitCode.INTERNAL);
        assertEquals(73, ExitCode.CANT_CREATE);
        assertEquals(74, ExitCode.IO);
        assertEquals(75, ExitCode.TIMEOUT);
        assertEquals(76, ExitCode.PROTOCOL);
        assertEquals(79, ExitCode.PEER_CANCELLED);
        assertEquals(130, ExitCode.INTERRUPTED);
        assertEquals(141, ExitCode.OUTPUT_CLOSED);
        assertEquals(143, ExitCode.TERMINATED);
    }

    @Test
    void descriptionsListExactlyTheCodesInUse() {
        Set<String> expected = new HashSet<>();
        expected.add("0");
        expected.add("70");
        TABLE.values().forEach(c -> expected.add(String.valueOf(c)));
        // rtcat probe --expect (see io.rtcat.diagnostics.ProbeFailure.Kind).
        List.of(80, 81, 82, 83, 84).forEach(c -> expected.add(String.valueOf(c)));
        // rtcat check thresholds (see io.rtcat.diagnostics.CheckFailure.Kind).
        List.of(85, 86, 87, 88).forEach(c -> expected.add(String.valueOf(c)));
        // SIGTERM: not a Kind, the signal decides between 130 and 143 (see Interrupts).
        expected.add("143");
        assertEquals(expected, ExitCode.DESCRIPTIONS.keySet());
        ExitCode.DESCRIPTIONS.forEach((code, text) -> {
            assertTrue(code.matches("\\d+"), "key '" + code + "' must be a number");
            assertFalse(text.isBlank(), "code " + code + " needs a description");
        });
    }

    @Test
    void descriptionsAreInAscendingOrder() {
        List<Integer> codes = new ArrayList<>();
        ExitCode.DESCRIPTIONS.keySet().forEach(k -> codes.add(Integer.parseInt(k)));
        List<Integer> sorted = new ArrayList<>(codes);
        sorted.sort(null);
        assertEquals(sorted, codes, "--help lists exit codes in this order");
    }

    @Test
    void readmeExitCodeTableListsEveryCode() throws Exception {
        Path readme = Path.of("README.md").toAbsolutePath();
        if (!Files.exists(readme)) {
            boolean ci = "true".equals(System.getenv("CI"));
            assertFalse(ci, "README.md must exist in CI: " + readme);
            assumeTrue(false, "README.md not written yet at " + readme + "; skipping the exit code table check");
        }
        List<String> missing = codesMissingFromTable(Files.readString(readme, StandardCharsets.UTF_8));
        assertTrue(missing.isEmpty(), "README.md exit code table lacks rows '| N |' for " + missing);
    }

    /** Codes from {@link ExitCode#DESCRIPTIONS} with no {@code | N |} cell in a Markdown table. */
    static List<String> codesMissingFromTable(String markdown) {
        List<String> missing = new ArrayList<>();
        for (String code : ExitCode.DESCRIPTIONS.keySet()) {
            if (!markdown.matches("(?s).*\\|[ \\t]*`?" + code + "`?[ \\t]*\\|.*")) {
                missing.add(code);
            }
        }
        return missing;
    }

    @Test
    void tableCheckFindsMissingRows() {
        StringBuilder table = new StringBuilder("| Code | Meaning |\n|---|---|\n");
        ExitCode.DESCRIPTIONS.forEach((code, text) -> {
            if (!code.equals("75")) {
                table.append("| ").append(code).append(" | ").append(text).append(" |\n");
            }
        });
        assertEquals(List.of("75"), codesMissingFromTable(table.toString()));
        assertEquals(List.of("75"), codesMissingFromTable(table + "| 175 | not a real code |\n"));
        assertTrue(codesMissingFromTable(table + "| `75` | timed out |\n").isEmpty());
    }
}
