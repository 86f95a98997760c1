package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtcat.diagnostics.CheckFailure;
import io.rtcat.diagnostics.ProbeFailure;
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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Map<ProbeFailure.Kind, Integer> PROBE_TABLE = new EnumMap<>(Map.of(
            ProbeFailure.Kind.STUN_UNREACHABLE, 80,
            ProbeFailure.Kind.TURN_AUTH_FAILED, 81,
            ProbeFailure.Kind.TURN_UNREACHABLE, 82,
            ProbeFailure.Kind.MISSING_TYPE, 83,
            ProbeFailure.Kind.TIMED_OUT, 84));

    private static final Map<CheckFailure.Kind, Integer> CHECK_TABLE = new EnumMap<>(Map.of(
            CheckFailure.Kind.PATH_MISMATCH, 85,
            CheckFailure.Kind.THROUGHPUT_LOW, 86,
            CheckFailure.Kind.RTT_HIGH, 87,
            CheckFailure.Kind.MEDIA_LOW, 88));

    @ParameterizedTest
    @EnumSource(ProbeFailure.Kind.class)
    void everyProbeFailureKindMapsToItsDocumentedCode(ProbeFailure.Kind kind) {
        assertEquals(PROBE_TABLE.get(kind), ExitCode.of(kind), kind.name());
        assertTrue(ExitCode.DESCRIPTIONS.containsKey(String.valueOf(ExitCode.of(kind))), kind.name());
    }

    @ParameterizedTest
    @EnumSource(CheckFailure.Kind.class)
    void everyCheckFailureKindMapsToItsDocumentedCode(CheckFailure.Kind kind) {
        assertEquals(CHECK_TABLE.get(kind), ExitCode.of(kind), kind.name());
        assertTrue(ExitCode.DESCRIPTIONS.containsKey(String.valueOf(ExitCode.of(kind))), kind.name());
    }

    @Test
    void failureKindsMapToDistinctCodes() {
        Set<Integer> seen = new HashSet<>();
        for (RtcatException.Kind k : RtcatException.Kind.values()) {
            seen.add(ExitCode.of(k));
        }
        for (ProbeFailure.Kind k : ProbeFailure.Kind.values()) {
            assertTrue(seen.add(ExitCode.of(k)), "probe " + k + " shares exit code " + ExitCode.of(k));
        }
        for (CheckFailure.Kind k : CheckFailure.Kind.values()) {
            assertTrue(seen.add(ExitCode.of(k)), "check " + k + " shares exit code " + ExitCode.of(k));
        }
    }

    @Test
    void firstFailureDecidesTheCode() {
        assertEquals(ExitCode.OK, ExitCode.ofProbe(List.of()));
        assertEquals(ExitCode.PROBE_TURN_AUTH, ExitCode.ofProbe(List.of(
                new ProbeFailure(ProbeFailure.Kind.TIMED_OUT, "slow", null),
                new ProbeFailure(ProbeFailure.Kind.TURN_AUTH_FAILED, "401", null))));
        assertEquals(ExitCode.OK, ExitCode.ofCheck(List.of()));
        assertEquals(ExitCode.CHECK_PATH, ExitCode.ofCheck(List.of(
                new CheckFailure(CheckFailure.Kind.RTT_HIGH, "slow"),
                new CheckFailure(CheckFailure.Kind.PATH_MISMATCH, "relay"))));
    }

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

    @Test
    void readmeExitCodeTableListsNoOtherCode() throws Exception {
        Path readme = Path.of("README.md").toAbsolutePath();
        assumeTrue(Files.exists(readme) || !"true".equals(System.getenv("CI")), "README.md must exist in CI");
        assumeTrue(Files.exists(readme), "README.md not written yet");
        assertEquals(new TreeSet<>(ExitCode.DESCRIPTIONS.keySet()),
                readmeTableCodes(Files.readString(readme, StandardCharsets.UTF_8)),
                "README.md's table under '## Exit codes' must list exactly ExitCode.DESCRIPTIONS");
    }

    /** The first-column codes of the table right under the "## Exit codes" heading. */
    static Set<String> readmeTableCodes(String markdown) {
        int start = markdown.indexOf("\n## Exit codes");
        assertTrue(start >= 0, "README.md has no '## Exit codes' section");
        int end = markdown.indexOf("\n#", start + 1);
        String section = markdown.substring(start, end < 0 ? markdown.length() : end);
        Set<String> codes = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\|[ \\t]*`?(\\d+)`?[ \\t]*\\|").matcher(section);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
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
