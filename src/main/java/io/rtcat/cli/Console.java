package io.rtcat.cli;

import java.io.PrintWriter;

/**
 * Where a command writes: results on {@code out}, progress and errors on {@code err}. Injected so tests
 * can capture both; only this package touches System.out/err.
 */
final class Console {
    final PrintWriter out;
    final PrintWriter err;
    final boolean stderrIsTerminal;

    Console(PrintWriter out, PrintWriter err, boolean stderrIsTerminal) {
        this.out = out;
        this.err = err;
        this.stderrIsTerminal = stderrIsTerminal;
    }

    /** The launcher exports RTCAT_STDERR_TTY=1 when `[ -t 2 ]`; Java itself cannot ask about stderr. */
    static boolean detectStderrTerminal() {
        String flag = System.getenv("RTCAT_STDERR_TTY");
        if (flag != null) {
            return flag.equals("1");
        }
        return System.console() != null;
    }
}
