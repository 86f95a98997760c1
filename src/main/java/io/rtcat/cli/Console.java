package io.rtcat.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * Where a command writes: results on {@code out}, progress and errors on {@code err}. Injected so tests
 * can capture both; only this package touches System.out/err.
 */
final class Console {
    final PrintWriter out;
    final PrintWriter err;
    final boolean stderrIsTerminal;
    /** Binary standard streams, for `send -` and `receive --stdout`. */
    final InputStream rawIn;
    final OutputStream rawOut;

    Console(PrintWriter out, PrintWriter err, boolean stderrIsTerminal) {
        this(out, err, stderrIsTerminal, InputStream.nullInputStream(), OutputStream.nullOutputStream());
    }

    Console(PrintWriter out, PrintWriter err, boolean stderrIsTerminal, InputStream rawIn, OutputStream rawOut) {
        this.out = out;
        this.err = err;
        this.stderrIsTerminal = stderrIsTerminal;
        this.rawIn = rawIn;
        this.rawOut = rawOut;
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
