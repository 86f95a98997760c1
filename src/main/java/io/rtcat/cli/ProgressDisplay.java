package io.rtcat.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
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

    static ProgressDisplay start(Console console, boolean enabled, String task, long totalBytes) {
        if (!enabled || !console.stderrIsTerminal || totalBytes <= 0) {
            return new ProgressDisplay(null);
        }
        PrintStream stream = new PrintStream(new WriterOutputStream(console.err), true);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MiB", 1024 * 1024)
                .showSpeed()
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
    private static final class WriterOutputStream extends java.io.OutputStream {
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
            writer.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }

}
