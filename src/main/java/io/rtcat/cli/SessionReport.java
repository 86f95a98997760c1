package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.Units;
import io.rtcat.transfer.BatchResult;
import java.io.PrintWriter;
import java.util.Locale;

/** The end report of `send` and `receive`: files, bytes, rate and the path the data took. */
final class SessionReport {

    enum Mode { TEXT, JSON, JSON_STREAM }

    private SessionReport() {
    }

    static void print(PrintWriter out, Mode mode, String verb, BatchResult r, long connectMillis,
            ConnectionStats stats) {
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
            ObjectNode root = ReportPrinter.JSON.createObjectNode();
            if (mode == Mode.JSON_STREAM) {
                root.put("event", "done");
            }
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
            out.println(mode == Mode.JSON_STREAM ? root.toString() : root.toPrettyString());
        }
        out.flush();
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
