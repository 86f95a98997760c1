package io.rtcat.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr while bytes move; a no-op when stderr is not a terminal or --quiet is set. */
final class ProgressDisplay implements AutoCloseable {

    private final ProgressBar bar;

    private ProgressDisplay(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * Rates in MB/s (base 1000) like the end report, "0.5" not ".5", on the report's clock: callers start the
     * bar when the transfer's clock starts (after acceptance).
     */
    static ProgressDisplay start(Console console, boolean enabled, String task, long totalBytes) {
        if (!enabled || !console.stderrIsTerminal || totalBytes <= 0) {
            return new ProgressDisplay(null);
        }
        PrintStream stream = new PrintStream(new WriterOutputStream(console.err), true);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MB", 1_000_000)
                .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(stream))
                .setMaxRenderedLength(100)
                .build();
        return new ProgressDisplay(bar);
    }

    LongConsumer updater() {
        return bar == null ? bytes -> { } : bar::stepTo;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** ProgressBar wants a PrintStream; stderr here is a PrintWriter. */
    private static final class WriterOutputStream extends OutputStream {
        private final PrintWriter writer;

        WriterOutputStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }

}
