package io.rtcat.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "rtcat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Move files and measure networks over WebRTC data channels: peer to peer, through NATs.",
            ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'rtcat COMMAND --help' for a command's flags and examples."})
final class RtcatCommand implements Runnable {

    /**
     * The subcommands by name, in the order the help lists them. They are added by {@link Main}, not by the
     * annotation, so that a run builds picocli's model (reflection over every option) only for the command it
     * runs: that is most of the start-up of {@code rtcat --version} (README, "Start-up").
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    /** Commands that never load the WebRTC engine, so its native output needs no guarding. */
    private static final Set<String> WITHOUT_ENGINE = Set.of("signal", "token", "help", "generate-completion");

    /** Commands that load the WebRTC engine as soon as their options are read. */
    private static final Set<String> ENGINE_AT_ONCE = Set.of("loopback", "bench");

    /** Commands whose model needs every other command's (help lists them, completion covers them). */
    private static final Set<String> NEED_ALL = Set.of("help", "generate-completion");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("send", SendCommand.class);
        m.put("receive", ReceiveCommand.class);
        m.put("signal", SignalCommand.class);
        m.put("token", TokenCommand.class);
        m.put("probe", ProbeCommand.class);
        m.put("loopback", LoopbackCommand.class);
        m.put("bench", BenchCommand.class);
        m.put("check", CheckCommand.class);
        m.put("respond", RespondCommand.class);
        m.put("doctor", DoctorCommand.class);
        m.put("help", picocli.CommandLine.HelpCommand.class);
        m.put("generate-completion", AutoComplete.GenerateCompletion.class);
        return m;
    }

    /**
     * The subcommands a run with these arguments needs: just the one it names; none for a bare {@code --version}
     * (or no arguments at all); all of them for the top-level help, {@code help}, completion and a word that
     * is no command (picocli's "did you mean" suggestions need every name).
     */
    static Set<String> neededFor(String[] args) {
        String word = commandWord(args);
        if (word == null) {
            boolean help = Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("--help"));
            return help || args.length > 0 && !isVersionOnly(args) ? SUBCOMMANDS.keySet() : Set.of();
        }
        return SUBCOMMANDS.containsKey(word) && !NEED_ALL.contains(word) ? Set.of(word) : SUBCOMMANDS.keySet();
    }

    /** True when a run with these arguments may load libwebrtc (whose threads write to fd 1 on their own). */
    static boolean mayLoadEngine(String[] args) {
        String word = commandWord(args);
        return word != null && !WITHOUT_ENGINE.contains(word) && !isBenchSignal(word, args);
    }

    /**
     * True when a run with these arguments loads libwebrtc right away, so that loading it can start before
     * picocli runs (not for help or version output, which never needs it).
     */
    static boolean loadsEngineAtOnce(String[] args) {
        String word = commandWord(args);
        return word != null && ENGINE_AT_ONCE.contains(word) && !isBenchSignal(word, args)
                && Arrays.stream(args).noneMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V")
                        || a.equals("--version"));
    }

    /** {@code bench signal}: a WebSocket load generator, no WebRTC at all. */
    private static boolean isBenchSignal(String word, String[] args) {
        return word.equals("bench") && Arrays.stream(args).filter(a -> !a.startsWith("-")).skip(1).findFirst()
                .filter("signal"::equals).isPresent();
    }

    /** The first argument that is not an option: the top level has no option that takes a value. */
    private static String commandWord(String[] args) {
        return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
    }

    private static boolean isVersionOnly(String[] args) {
        return Arrays.stream(args).allMatch(a -> a.equals("-V") || a.equals("--version"));
    }
}
