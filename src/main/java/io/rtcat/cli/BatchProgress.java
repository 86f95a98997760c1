package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.stats.Units;
import io.rtcat.transfer.TransferProgress;
import java.util.Locale;

/**
 * Shows a batch's progress: a progress bar on a terminal, NDJSON events on stdout with --json-stream,
 * and a line on stderr for each resumed file. Called on the transfer thread.
 */
final class BatchProgress implements TransferProgress, AutoCloseable {

    private static final long EVENT_INTERVAL_NANOS = 500_000_000L;

    private final Console console;
    private final GlobalOptions global;
    private final boolean jsonStream;
    private final String task;
    private ProgressDisplay bar;
    private long lastEvent;

    BatchProgress(Console console, GlobalOptions global, boolean jsonStream, String task) {
        this.console = console;
        this.global = global;
        this.jsonStream = jsonStream;
        this.task = task;
    }

    @Override
    public void onBatchStarted(int files, long totalBytes) {
        if (jsonStream) {
            emit(event("batch-start").put("files", files).put("total_bytes", totalBytes));
        } else {
            bar = ProgressDisplay.start(console, !global.quiet && !global.json, task, totalBytes);
        }
    }

    @Override
    public void onFileStarted(String name, long size, long resumedFrom) {
        if (jsonStream) {
            emit(event("file-start").put("name", name).put("size", size).put("resumed_from", resumedFrom));
        } else if (resumedFrom > 0 && !global.quiet) {
            console.err.printf(Locale.ROOT, "rtcat: resuming %s at %s of %s%n", name, Units.formatSize(resumedFrom),
                    Units.formatSizeOrStream(size));
            console.err.flush();
        }
    }

    @Override
    public void onBytes(long totalBytesSoFar) {
        if (bar != null) {
            bar.updater().accept(totalBytesSoFar);
        }
        long now = System.nanoTime();
        if (jsonStream && now - lastEvent > EVENT_INTERVAL_NANOS) {
            lastEvent = now;
            emit(event("progress").put("bytes", totalBytesSoFar));
        }
    }

    @Override
    public void onFileDone(String name, long bytes) {
        if (jsonStream) {
            emit(event("file-done").put("name", name).put("bytes", bytes));
        }
    }

    /** One NDJSON line; also used for the final "done"/"error" events. */
    void emit(ObjectNode event) {
        console.out.println(event.toString());
        console.out.flush();
    }

    static ObjectNode event(String type) {
        return JsonDocument.event(type);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
