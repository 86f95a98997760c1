package io.rtcat.cli;

import io.rtcat.errors.Futures;
import io.rtcat.errors.Threads;
import io.rtcat.json.Mappers;
import io.rtcat.peer.NativeLibrary;
import io.rtcat.peer.PeerEngine;
import io.rtcat.stdio.DeferredStream;
import io.rtcat.stdio.StdoutDescriptor;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Entry point: builds the command line, runs it, shuts the WebRTC engine down and exits. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (isVersionOnly(args)) {
            // The commonest probe of an install, answered without building picocli's model (README, "Start-up");
            // LazyCommandModelTest keeps it equal to picocli's own --version.
            System.out.println(versionLine());
            return;
        }
        // Before anything native loads: fd 1 becomes stderr, rtcat's own output goes to the real stdout.
        // Commands that never load it skip this: it costs a JNA load, a good part of a short run's start-up.
        // The claim runs on a thread of its own while picocli starts; libwebrtc loads only after it
        // (NativeLibrary.loadAfter), and rtcat's first output waits for it (README, "Start-up").
        boolean guarded = RtcatCommand.mayLoadEngine(args) && StdoutDescriptor.mayClaim();
        CompletableFuture<StdoutDescriptor> claim = guarded ? claimInBackground()
                : CompletableFuture.completedFuture(null);
        if (guarded) {
            NativeLibrary.loadAfter(() -> claimed(claim));
        }
        if (RtcatCommand.loadsEngineAtOnce(args)) {
            PeerEngine.preload(); // the library and the engine overlap picocli's start-up (README, "Start-up")
            Threads.daemon("rtcat-json-warm-up", Mappers::warmUp).start(); // so does Jackson's first mapper
        }
        PrintStream realOut = !guarded ? System.out
                : new PrintStream(new DeferredStream(realStdout(claim, () -> System.out)), true);
        PrintWriter out = new PrintWriter(realOut, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Interrupts.install(Thread.currentThread());
        // Raw bytes (receive --stdout) go unwrapped: a PrintStream would swallow a closed pipe.
        OutputStream rawOut = !guarded ? new FileOutputStream(FileDescriptor.out)
                : new DeferredStream(realStdout(claim, () -> new FileOutputStream(FileDescriptor.out)));
        Console console = new Console(out, err, Console.detectStderrTerminal(), System.in, rawOut);
        int code = commandLine(console, RtcatCommand.neededFor(args)).execute(args);
        Interrupts.commandDone(code);
        out.flush();
        err.flush();
        // factory.dispose() must run or the JVM never exits; then silence fd 1 so that the native
        // library's exit-time "Failed to attach thread" lands in /dev/null, not in a --json pipe or on stderr.
        // The watchdog (a daemon) also covers System.exit's shutdown hooks, so it is never cancelled.
        Duration cleanup = Interrupts.exitCleanupLimit(ExitWatchdog.GRACE, System.nanoTime());
        ExitWatchdog.start(cleanup, () -> {
            err.println("rtcat: the clean-up at exit took over " + Math.max(1, cleanup.toSeconds())
                    + " s; exiting without it");
            err.flush();
            Runtime.getRuntime().halt(code);
        });
        awaitPreload();
        PeerEngine.closeShared();
        realOut.flush();
        StdoutDescriptor stdout = claimed(claim);
        if (stdout != null) {
            stdout.silence();
        } else {
            System.out.close();
        }
        System.exit(code);
    }

    /** {@link StdoutDescriptor#claim} on a daemon thread; null when it cannot be done (then nothing changed). */
    private static CompletableFuture<StdoutDescriptor> claimInBackground() {
        CompletableFuture<StdoutDescriptor> claim = new CompletableFuture<>();
        Threads.daemon("rtcat-stdout-claim", () -> {
            try {
                claim.complete(StdoutDescriptor.claim());
            } catch (RuntimeException | Error e) {
                claim.complete(null);
            }
        }).start();
        return claim;
    }

    /** The claimed real stdout once the claim is done, or {@code unclaimed} where it could not be done. */
    private static Supplier<OutputStream> realStdout(CompletableFuture<StdoutDescriptor> claim,
            Supplier<OutputStream> unclaimed) {
        return () -> {
            StdoutDescriptor d = claimed(claim);
            return d == null ? unclaimed.get() : d.stream();
        };
    }

    /**
     * The claim's result, waiting for it (bounded: a JNA load stuck that long is given up, and rtcat's output then
     * goes to fd 1 as it is).
     */
    private static StdoutDescriptor claimed(CompletableFuture<StdoutDescriptor> claim) {
        Futures.awaitQuietly(claim, CLAIM_WAIT);
        return claim.getNow(null);
    }

    private static final Duration CLAIM_WAIT = Duration.ofSeconds(10);

    /** A usage error can end a run while the library is still loading: exiting then could crash the JVM. */
    private static void awaitPreload() {
        try {
            NativeLibrary.awaitPreload();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isVersionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    static String versionLine() {
        return new VersionProvider().getVersion()[0];
    }

    /** The configured command line with every subcommand; tests call this with captured streams. */
    static CommandLine commandLine(Console console) {
        return commandLine(console, RtcatCommand.SUBCOMMANDS.keySet());
    }

    /** The configured command line with just these subcommands (RtcatCommand.neededFor). */
    static CommandLine commandLine(Console console, Set<String> subcommands) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K instance = fallback.create(cls);
                if (instance instanceof BaseCommand command) {
                    command.console = console;
                }
                return instance;
            }
        };
        CommandLine cl = new CommandLine(new RtcatCommand(), factory);
        RtcatCommand.SUBCOMMANDS.forEach((name, cls) -> {
            if (subcommands.contains(name)) {
                cl.addSubcommand(name, new CommandLine(cls, factory));
            }
        });
        cl.setOut(console.out);
        cl.setErr(console.err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(Main::onBadUsage);
        CommandLine completion = cl.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().hidden(true);
        }
        addExitCodes(cl);
        return cl;
    }

    /** The whole table in the top-level help; each command lists only the codes it can return. */
    private static void addExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.DESCRIPTIONS);
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.descriptionsFor(sub.getCommandName())));
    }

    private static int onBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = UsageErrors.message(e);
        err.println("rtcat: " + message);
        String name = cmd.getCommandSpec().qualifiedName();
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("hint: see '" + name + " --help'");
        err.flush();
        if (Arrays.asList(args).contains("--json")) {
            // --json promises one document on stdout, even when the flags themselves are wrong.
            var doc = JsonDocument.create();
            doc.put("error", message);
            doc.put("hint", "see '" + name + " --help'");
            doc.put("exit_code", ExitCode.USAGE);
            cmd.getOut().println(doc.toPrettyString());
            cmd.getOut().flush();
        }
        return ExitCode.USAGE;
    }
}
