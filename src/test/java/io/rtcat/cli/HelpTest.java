package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** What `rtcat help`, `rtcat help CMD` and each command's --help show, at a terminal's 80 columns. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HelpTest {

    static final String COMMANDS = "send,receive,signal,token,probe,loopback,bench,check,respond";

    @Test
    void helpAloneShowsTheTopLevelUsage() {
        CliRun run = CliRun.of("help");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Commands:"), run.toString());
        assertTrue(run.out().contains("Exit codes:"), run.toString());
    }

    @Test
    void helpWithACommandShowsThatCommand() {
        CliRun run = CliRun.of("help", "send");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Usage: rtcat send"), run.toString());
    }

    private static String usageAt80(String... path) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(new Console(new PrintWriter(out), new PrintWriter(new StringWriter()),
                false));
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(80);
        CommandLine c = cl;
        for (String p : path) {
            c = c.getSubcommands().get(p);
        }
        c.usage(new PrintWriter(out, true));
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "receive", "signal", "token", "probe", "loopback", "bench", "check", "respond",
        "doctor"})
    void examplesStayIndentedAt80Columns(String command) {
        String usage = usageAt80(command);
        int examples = usage.indexOf("Examples:");
        if (examples < 0) {
            return;
        }
        List<String> atColumnZero = new ArrayList<>();
        String section = usage.substring(examples + "Examples:".length());
        int end = section.indexOf("\nExit codes:");
        for (String line : (end < 0 ? section : section.substring(0, end)).lines().toList()) {
            if (!line.isEmpty() && !line.startsWith(" ")) {
                atColumnZero.add(line);
            }
            assertTrue(line.length() <= 80, "longer than 80 columns: " + line);
        }
        assertEquals(List.of(), atColumnZero, usage);
    }

    @Test
    void theFullExitCodeTableIsInTheTopLevelHelpOnly() {
        String top = usageAt80();
        assertTrue(top.contains("88"), top);
        String send = usageAt80("send");
        assertTrue(send.contains("Exit codes:"), send);
        assertFalse(send.contains("probe --expect"), "send cannot return probe's codes:\n" + send);
        assertFalse(send.contains("check: "), "send cannot return check's codes:\n" + send);
        String probe = usageAt80("probe");
        assertTrue(probe.contains("probe --expect: a STUN server"), probe);
        assertFalse(probe.contains("check: path"), probe);
    }

    @Test
    void loopbackHelpNamesOnlyFlagsItHas() {
        String usage = usageAt80("loopback");
        CommandLine loopback = Main.commandLine(new Console(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false)).getSubcommands().get("loopback");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(usage);
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (loopback.getCommandSpec().findOption(m.group()) == null) {
                unknown.add(m.group());
            }
        }
        assertEquals(List.of(), unknown, usage);
    }
}
