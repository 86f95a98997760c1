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
import io.rtcat.transfer.DisplayName;
import io.rtcat.transfer.Manifest;
import io.rtcat.transfer.OnExisting;
import io.rtcat.transfer.TransferDefaults;
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
    private BatchReceiver.SizeLimit sizeLimit = BatchReceiver.SizeLimit.NONE;

    /** Without --max-size, a file of unknown size (a pipe) into a directory stops at this many bytes. */
    static final long DEFAULT_MAX_UNKNOWN_SIZE = 1L << 30;
    static final String DEFAULT_MAX_UNKNOWN_SIZE_TEXT = "1G";
    /** Entries always listed in the prompt; past them only hidden, dot and unknown-size entries are. */
    static final int LISTED = 10;

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

    /** {@code --max-size} in bytes, or -1 when not given (see {@link #DEFAULT_MAX_UNKNOWN_SIZE}). */
    ReceiveJob limitSizes(long maxBytes) {
        long unknown = maxBytes > 0 ? maxBytes : toStdout ? Long.MAX_VALUE : DEFAULT_MAX_UNKNOWN_SIZE;
        sizeLimit = new BatchReceiver.SizeLimit(maxBytes > 0 ? maxBytes : Long.MAX_VALUE, unknown);
        return this;
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
        Stripes striped = stripes
                ? Stripes.answer(engine, config, c.channel(), timeout, c.peer()::freshStats, debug) : null;
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
            BatchReceiver receiver = new BatchReceiver(out, onExisting, TransferDefaults.WINDOW, timeout,
                    confirmation(), progress).withSizeLimit(sizeLimit);
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
            String total = manifest.totalBytes() < 0
                    ? " (size unknown; at most " + Units.formatSize(sizeLimit.unknown()) + " per file of unknown size)"
                    : " (" + Units.formatSize(manifest.totalBytes()) + ")";
            if (sizeLimit.unknown() == Long.MAX_VALUE && manifest.totalBytes() < 0) {
                total = " (size unknown)";
            }
            String answer = TerminalPrompt.ask(listing(manifest), String.format("Receive into %s%s? [y/N] ",
                    toStdout ? "standard output" : out, total));
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        };
    }

    /**
     * The offered files: the first {@value #LISTED}, then every further one that is hidden (a path part starting
     * with a dot) or of unknown size, so that none of those can hide in "... and N more"; names with invisible
     * or reordering characters escaped.
     */
    static String listing(Manifest manifest) {
        int n = manifest.files().size();
        StringBuilder text = new StringBuilder(n == 1 ? "One file offered:\n" : n + " files offered:\n");
        int shown = 0;
        int unlisted = 0;
        for (Manifest.Entry e : manifest.files()) {
            boolean hidden = isHidden(e.name());
            if (shown < LISTED || hidden || e.size() < 0) {
                text.append(String.format("  %-50s %s%s%n", DisplayName.of(e.name()), Units.formatSizeOrStream(e.size()),
                        hidden ? "  (hidden)" : ""));
                shown++;
            } else {
                unlisted++;
            }
        }
        if (unlisted > 0) {
            text.append(String.format("  ... and %d more (none hidden, all of known size)%n", unlisted));
        }
        return text.toString();
    }

    private static boolean isHidden(String name) {
        for (String part : name.split("[/\\\\]")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
