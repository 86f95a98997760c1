package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Futures;
import io.rtcat.peer.Peer;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.Units;
import io.rtcat.stripe.LossProbe;
import io.rtcat.transfer.BatchResult;
import io.rtcat.transfer.PacingSummary;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The end report of `send` and `receive`: files, bytes, rate and the path the data took. */
final class SessionReport {

    enum Mode { TEXT, JSON, JSON_STREAM }

    private SessionReport() {
    }

    /**
     * How the data was striped: {@code bytes} per stream (frames, index 0 the main connection), null for one;
     * {@code probe}, what auto's loss probe measured before choosing, or null.
     */
    record Streams(int count, String reason, long[] bytes, LossProbe.Result probe) {
        static final Streams ONE = new Streams(1, null, null, null);

        Streams(int count, String reason, long[] bytes) {
            this(count, reason, bytes, null);
        }
    }

    /**
     * The stats for an end report: read now, with the RTT and DTLS parameters of {@code atConnect} (see
     * {@link ConnectionStats#since}); null only if neither reading worked.
     */
    static ConnectionStats endStats(Peer peer, ConnectionStats atConnect) {
        ConnectionStats now = Futures.poll(peer.stats(), TimeUnit.SECONDS.toNanos(5));
        return now == null ? atConnect : now.since(atConnect);
    }

    static void print(PrintWriter out, Mode mode, String verb, BatchResult r, long connectMillis,
            ConnectionStats stats) {
        print(out, mode, verb, r, connectMillis, stats, Streams.ONE);
    }

    static void print(PrintWriter out, Mode mode, String verb, BatchResult r, long connectMillis,
            ConnectionStats stats, Streams streams) {
        print(out, mode, verb, r, connectMillis, stats, streams, null, null);
    }

    /** @param invitation the sender's: repeated in the --json document as {@code ready}; null on receive */
    static void print(PrintWriter out, Mode mode, String verb, BatchResult r, long connectMillis,
            ConnectionStats stats, Streams streams, Invitation invitation) {
        print(out, mode, verb, r, connectMillis, stats, streams, invitation, null);
    }

    /**
     * @param invitation the sender's: repeated in the --json document as {@code ready}; null on receive
     * @param pacing what the sender's pacer did (sender only), or null
     */
    static void print(PrintWriter out, Mode mode, String verb, BatchResult r, long connectMillis,
            ConnectionStats stats, Streams streams, Invitation invitation, PacingSummary pacing) {
        long moved = r.transferredBytes();
        double rate = Units.bytesPerSecond(moved, r.durationNanos());
        if (mode == Mode.TEXT) {
            out.printf(Locale.ROOT, "%s %d file%s, %s in %.2f s: %s%s%n", capitalised(verb), r.files().size(),
                    r.files().size() == 1 ? "" : "s", Units.formatSize(r.totalBytes()), r.durationNanos() / 1e9,
                    Units.formatRate(rate), r.resumedBytes() > 0
                            ? " (" + Units.formatSize(r.resumedBytes()) + " resumed, not sent again)" : "");
            out.printf(Locale.ROOT, "Connected in %s%n", Units.formatMillis(connectMillis));
            if (stats != null) {
                ReportPrinter.printPath(out, stats);
            }
            if (streams.reason() != null) {
                out.printf(Locale.ROOT, "Streams:  %d (%s)%n", streams.count(), streams.reason());
            }
            if (streams.bytes() != null) {
                StringBuilder per = new StringBuilder("          ");
                for (int i = 0; i < streams.bytes().length; i++) {
                    per.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "#%d %.1f MB/s", i + 1,
                            Units.bytesPerSecond(streams.bytes()[i], r.durationNanos()) / 1e6));
                }
                out.println(per);
            }
            if (pacing != null) {
                out.printf(Locale.ROOT, "Pacing:   %s%n", pacing.describe());
            }
            int shown = 0;
            for (BatchResult.FileResult f : r.files()) {
                if (shown++ == 20) {
                    out.printf("  ... and %d more%n", r.files().size() - 20);
                    break;
                }
                String name = f.savedAs() != null && !f.savedAs().equals(f.name())
                        ? f.name() + " -> " + f.savedAs() : f.name();
                out.printf("  %s  %s%s%n", f.sha256(), name, f.verified() ? "" : "  (not verified)");
            }
        } else {
            ObjectNode root = mode == Mode.JSON_STREAM ? JsonDocument.event("done") : JsonDocument.create();
            ArrayNode list = root.putArray("files");
            for (BatchResult.FileResult f : r.files()) {
                ObjectNode n = list.addObject();
                n.put("name", f.name());
                if (f.savedAs() != null) {
                    n.put("saved_as", f.savedAs());
                }
                n.put("bytes", f.bytes());
                n.put("resumed_bytes", f.resumedBytes());
                n.put("sha256", f.sha256());
                n.put("verified", f.verified());
            }
            root.put("bytes", r.totalBytes());
            root.put("resumed_bytes", r.resumedBytes());
            root.put("connect_ms", connectMillis);
            root.put("seconds", r.durationNanos() / 1e9);
            root.put("bytes_per_second", Math.round(rate));
            root.put("bits_per_second", Math.round(rate * 8));
            if (stats != null) {
                root.set("connection", ReportPrinter.connectionJson(stats));
            }
            ObjectNode st = root.putObject("streams");
            st.put("count", streams.count());
            st.put("reason", streams.reason());
            ArrayNode per = st.putArray("per_stream");
            if (streams.bytes() != null) {
                for (int i = 0; i < streams.bytes().length; i++) {
                    per.addObject().put("index", i).put("bytes", streams.bytes()[i]).put("bytes_per_second",
                            Math.round(Units.bytesPerSecond(streams.bytes()[i], r.durationNanos())));
                }
            }
            if (streams.probe() != null) {
                LossProbe.Result p = streams.probe();
                ObjectNode probe = st.putObject("loss_probe").put("packets_sent", p.sent())
                        .put("packets_lost", p.lost()).put("loss_percent", Math.round(p.lossRate() * 10000) / 100.0)
                        .put("bytes", p.bytes()).put("ms", p.millis());
                leg(probe, "to_receiver", p.out());
                leg(probe, "to_sender", p.back());
            }
            if (pacing != null) {
                root.set("pacing", ReportPrinter.pacingJson(pacing));
            }
            if (invitation != null && mode == Mode.JSON) {
                invitation.fill(root.putObject("ready"));
            }
            root.put("rtcat_version", BuildInfo.CURRENT.describe());
            out.println(mode == Mode.JSON_STREAM ? root.toString() : root.toPrettyString());
        }
        out.flush();
    }

    /** One way of the loss probe's packets (absent when the receiver did not count it). */
    private static void leg(ObjectNode probe, String name, LossProbe.Leg leg) {
        if (leg != null) {
            probe.putObject(name).put("packets_sent", leg.sent()).put("packets_received", leg.received());
        }
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
