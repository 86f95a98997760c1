package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.PeerEngine;
import io.rtcat.stats.UdpReceiveDrops;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Mixin;

/**
 * Runs a command and turns its failure into one line on stderr (or an "error" field with --json) and a
 * documented exit code. Stack traces only with --verbose.
 */
abstract class BaseCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    Console console;

    /** The one error report (a command has one document on stdout); set by whoever reports first. */
    private final AtomicBoolean reported = new AtomicBoolean();
    /** Ended by a closed stdout: nothing at all goes to stderr (without --verbose). */
    private boolean endedQuietly;

    /** Does the work; returns an exit code. */
    abstract int execute() throws RtcatException;

    /**
     * Commands that move data over WebRTC say so at the end when the kernel dropped UDP packets for full
     * receive buffers meanwhile: the commonest reason for a slow long path, and invisible otherwise.
     */
    boolean watchesUdpDrops() {
        return false;
    }

    @Override
    public final Integer call() {
        Logging.configure(global.verbosity());
        UdpReceiveDrops drops = watchesUdpDrops() ? UdpReceiveDrops.start() : null;
        // A command that does not unwind within Interrupts.GRACE of a signal is reported from the handler.
        Interrupts.lastWords(() -> interrupted(null));
        try {
            int code = run();
            Interrupts.commandDone(code);
            return code;
        } finally {
            // after Ctrl-C the one "interrupted" line is all the user asked for
            String warning = drops == null || Interrupts.received() != null || endedQuietly ? null : drops.warning();
            if (warning != null && !global.quiet) {
                console.err.println("rtcat: warning: " + warning);
                console.err.println("hint: " + UdpReceiveDrops.hint());
                console.err.flush();
            }
        }
    }

    private int run() {
        try {
            if (global.verbosity() >= 2) {
                PeerEngine.enableNativeLogging();
            }
            return execute();
        } catch (RtcatException e) {
            if (Interrupts.received() != null) {
                return interrupted(e);
            }
            if (e.kind() == RtcatException.Kind.OUTPUT_CLOSED && global.verbosity() == 0) {
                reported.set(true); // like `cat` in a closed pipe: whoever closed it knows; the code says it
                endedQuietly = true;
                return ExitCode.OUTPUT_CLOSED;
            }
            return report(e.getMessage(), e.hint(), ExitCode.of(e.kind()), e);
        } catch (OutOfMemoryError e) {
            return report("out of memory", "raise the heap with RTCAT_JAVA_OPTS=-Xmx2g", ExitCode.INTERNAL, e);
        } catch (RuntimeException | Error e) {
            if (Interrupts.received() != null) {
                return interrupted(e);
            }
            return report("internal error: " + e, "please report this with the output of --verbose",
                    ExitCode.INTERNAL, e);
        }
    }

    /**
     * After SIGINT/SIGTERM whatever the command failed with (often a closed connection, as the signal closes
     * things) is reported as the interruption it is: "interrupted (SIGTERM)", 130 or 143.
     */
    private int interrupted(Throwable e) {
        Interrupts.Received signal = Interrupts.received();
        String what = e instanceof RtcatException r && r.kind() == RtcatException.Kind.INTERRUPTED
                && !r.getMessage().equals("interrupted") ? r.getMessage() : "interrupted";
        return report(what + " (" + signal.signalName() + ")", null, signal.exitCode, e);
    }

    /** Commands with --json-stream report failures as a final NDJSON event. */
    boolean jsonStream() {
        return false;
    }

    private int report(String message, String hint, int code, Throwable error) {
        if (!reported.compareAndSet(false, true)) {
            return code;
        }
        if (jsonStream()) {
            ObjectNode event = BatchProgress.event("error").put("error", message).put("exit_code", code);
            if (hint != null) {
                event.put("hint", hint);
            }
            console.out.println(event.toString());
            console.out.flush();
        } else if (global.json) {
            ObjectNode doc = JsonDocument.create();
            doc.put("error", message);
            if (hint != null) {
                doc.put("hint", hint);
            }
            doc.put("exit_code", code);
            console.out.println(doc.toPrettyString());
            console.out.flush();
        }
        console.err.println("rtcat: " + message);
        if (hint != null) {
            console.err.println("hint: " + hint);
        }
        if (global.verbosity() > 0 && error != null) {
            error.printStackTrace(console.err);
        } else if (code == ExitCode.INTERNAL) {
            console.err.println("hint: run again with --verbose to see the stack trace");
        }
        console.err.flush();
        return code;
    }

    /** Progress notes on stderr, unless --quiet. */
    void note(String message) {
        if (!global.quiet) {
            console.err.println(message);
            console.err.flush();
        }
    }

    /** Step-by-step notes, only with --verbose. */
    void debug(String message) {
        if (global.verbosity() > 0) {
            console.err.println("rtcat: " + message);
            console.err.flush();
        }
    }
}
