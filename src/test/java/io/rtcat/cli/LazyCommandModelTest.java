package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** main builds picocli's model only for the command it runs; what users see must not change. */
class LazyCommandModelTest {

    @Test
    void everyRegisteredNameIsItsCommandsOwnName() {
        RtcatCommand.SUBCOMMANDS.forEach((name, cls) ->
                assertEquals(name, cls.getAnnotation(CommandLine.Command.class).name(), cls.getName()));
    }

    @Test
    void aRunBuildsOnlyTheCommandItNames() {
        assertEquals(Set.of("send"), RtcatCommand.neededFor(new String[] {"send", "a.txt", "--json"}));
        assertEquals(Set.of("bench"), RtcatCommand.neededFor(new String[] {"bench", "signal", "--help"}));
        assertEquals(Set.of(), RtcatCommand.neededFor(new String[] {"--version"}));
        assertEquals(Set.of(), RtcatCommand.neededFor(new String[] {}));
    }

    @Test
    void helpCompletionAndUnknownWordsBuildEveryCommand() {
        Set<String> all = RtcatCommand.SUBCOMMANDS.keySet();
        assertEquals(all, RtcatCommand.neededFor(new String[] {"--help"}));
        assertEquals(all, RtcatCommand.neededFor(new String[] {"help", "send"}));
        assertEquals(all, RtcatCommand.neededFor(new String[] {"generate-completion"}));
        assertEquals(all, RtcatCommand.neededFor(new String[] {"sedn"}));
        assertEquals(all, RtcatCommand.neededFor(new String[] {"--bogus"}));
    }

    @Test
    void onlyCommandsThatMayLoadTheEngineGuardStdout() {
        assertTrue(RtcatCommand.mayLoadEngine(new String[] {"loopback", "--size", "1M"}));
        assertTrue(RtcatCommand.mayLoadEngine(new String[] {"receive", "--stdout"}));
        assertFalse(RtcatCommand.mayLoadEngine(new String[] {"--version"}));
        assertFalse(RtcatCommand.mayLoadEngine(new String[] {"signal", "--port", "0"}));
        assertFalse(RtcatCommand.mayLoadEngine(new String[] {"token", "--help"}));
    }

    @Test
    void onlyCommandsThatLoadTheEngineAtOnceStartLoadingItEarly() {
        assertTrue(RtcatCommand.loadsEngineAtOnce(new String[] {"loopback", "--size", "1M"}));
        assertTrue(RtcatCommand.loadsEngineAtOnce(new String[] {"-v", "bench"}));
        assertFalse(RtcatCommand.loadsEngineAtOnce(new String[] {"loopback", "--help"}));
        assertFalse(RtcatCommand.loadsEngineAtOnce(new String[] {"bench", "signal", "--clients", "10"}));
        assertFalse(RtcatCommand.mayLoadEngine(new String[] {"bench", "--json", "signal"}));
        assertTrue(RtcatCommand.mayLoadEngine(new String[] {"bench", "--size", "64M"}));
        assertFalse(RtcatCommand.loadsEngineAtOnce(new String[] {"bench", "-V"}));
        assertFalse(RtcatCommand.loadsEngineAtOnce(new String[] {"receive", "--stdout"}));
        assertFalse(RtcatCommand.loadsEngineAtOnce(new String[] {"--version"}));
        assertFalse(RtcatCommand.loadsEngineAtOnce(new String[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "receive", "signal", "token", "probe", "loopback", "bench", "check", "respond",
        "doctor"})
    void aCommandsHelpIsTheSameWithOrWithoutTheOthers(String command) {
        assertEquals(usage(Main.commandLine(console()), command),
                usage(Main.commandLine(console(), Set.of(command)), command));
    }

    @Test
    void versionAndTopLevelHelpAreUnchanged() {
        CliRun lazy = CliRun.of("--version");
        assertEquals(0, lazy.exitCode(), lazy.toString());
        assertTrue(lazy.out().startsWith("rtcat "), lazy.toString());
        assertEquals(full("--version").out(), lazy.out());
        assertEquals(lazy.out(), Main.versionLine() + System.lineSeparator(), "main's short cut");
        assertTrue(Main.isVersionOnly(new String[] {"-V"}) && !Main.isVersionOnly(new String[] {"send", "-V"}));
        assertEquals(full("--help").out(), CliRun.of("--help").out());
        assertEquals(full("sedn").err(), CliRun.of("sedn").err());
    }

    private static CliRun full(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new Console(new PrintWriter(out, true), new PrintWriter(err, true), false))
                .execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private static Console console() {
        return new Console(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
    }

    private static String usage(CommandLine root, String command) {
        StringWriter out = new StringWriter();
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(100);
        root.getSubcommands().get(command).usage(new PrintWriter(out, true));
        return out.toString();
    }
}
