package io.rtcat.cli;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.Connection;
import io.rtcat.stripe.Stripes;
import io.rtcat.session.RemotePeer;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.Units;
import io.rtcat.transfer.BatchReceiver;
import io.rtcat.transfer.BatchResult;
import io.rtcat.transfer.FileReceiver;
import io.rtcat.transfer.Manifest;
import io.rtcat.transfer.OnExisting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The receiving half of `rtcat receive`: confirmation, the transfer, the report. */
final class ReceiveJob {

    private final Console console;
    private final GlobalOptions global;
    private final Path out;
    private final OnExisting onExisting;
    private final boolean yes;
    private final boolean toStdout;
    private final boolean jsonStream;

    private final StatsOptions statsOptions;

    ReceiveJob(Console console, GlobalOptions global, Path out, OnExisting onExisting, boolean yes, boolean toStdout,
            boolean jsonStream, StatsOptions statsOptions) {
        this.statsOptions = statsOptions;
        this.console = console;
        this.global = global;
        this.out = out;
        this.onExisting = onExisting;
        this.yes = yes;
        this.toStdout = toStdout;
        this.jsonStream = jsonStream;
    }

    /**
     * @param stripes whether the sender may stripe (code-phrase meetings: both sides are rtcat); in plain rooms
     *                the sender may be a browser page that knows nothing of stripes
     */
    int run(RemotePeer remote, Duration timeout, PeerEngine engine, PeerConfig config, boolean stripes,
            Consumer<String> debug) throws RtcatException {
        Connection c = remote.connection();
        // read before any data, as the sender does: see SessionReport.endStats
        ConnectionStats atConnect = Futures.poll(c.peer().stats(), TimeUnit.SECONDS.toNanos(2));
        Stripes striped = stripes ? Stripes.answer(engine, config, c.channel(), timeout, debug) : null;
        try {
            return receive(c, striped, timeout, atConnect);
        } finally {
            if (striped != null) {
                striped.close();
            }
        }
    }

    private int receive(Connection c, Stripes striped, Duration timeout, ConnectionStats atConnect)
            throws RtcatException {
        MessageChannel channel = striped != null ? striped.channel() : c.channel();
        BatchResult result;
        try (BatchProgress progress = new BatchProgress(console, global, jsonStream, "receive");
                StatsTicker ticker = StatsTicker.start(c.peer(), console, jsonStream, statsOptions.interval)) {
            BatchReceiver receiver = new BatchReceiver(out, onExisting, FileReceiver.DEFAULT_WINDOW, timeout,
                    confirmation(), progress);
            if (toStdout) {
                receiver = receiver.toStream(console.rawOut);
            }
            result = receiver.receive(channel, timeout);
        } catch (RtcatException e) {
            dumpStats(c, e.getMessage());
            throw e;
        }
        ConnectionStats stats = SessionReport.endStats(c.peer(), atConnect);
        dumpStats(c, null);
        // With --stdout the data owns stdout, so the report goes to stderr.
        PrintWriter reportTo = toStdout ? console.err : console.out;
        SessionReport.print(reportTo, mode(), "received", result, c.connectMillis(), stats,
                SendJob.streamsReport(striped, true));
        return ExitCode.OK;
    }

    private void dumpStats(Connection c, String error) throws RtcatException {
        if (statsOptions.dump != null) {
            StatsDump.write(statsOptions.dump, StatsDump.collect(Map.of("receiver", c.peer())), error);
        }
    }

    private SessionReport.Mode mode() {
        return jsonStream ? SessionReport.Mode.JSON_STREAM : global.json ? SessionReport.Mode.JSON
                : SessionReport.Mode.TEXT;
    }

    /** Shows what is offered and asks, unless --yes. */
    private Predicate<Manifest> confirmation() {
        if (yes) {
            return m -> true;
        }
        return manifest -> {
            StringBuilder text = new StringBuilder(manifest.files().size() == 1 ? "One file offered:\n"
                    : manifest.files().size() + " files offered:\n");
            int shown = 0;
            for (Manifest.Entry e : manifest.files()) {
                if (shown++ == 10) {
                    text.append(String.format("  ... and %d more%n", manifest.files().size() - 10));
                    break;
                }
                text.append(String.format("  %-50s %s%n", e.name(), Units.formatSizeOrStream(e.size())));
            }
            String total = manifest.totalBytes() < 0 ? "" : " (" + Units.formatSize(manifest.totalBytes()) + ")";
            String answer = TerminalPrompt.ask(text.toString(), String.format("Receive into %s%s? [y/N] ",
                    toStdout ? "standard output" : out, total));
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        };
    }
}
