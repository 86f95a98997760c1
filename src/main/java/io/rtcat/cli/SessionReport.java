package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.Units;
import java.util.List;
import java.util.Locale;

/** The end report of `send` and `receive`: files, bytes, rate and the path the data took. */
final class SessionReport {

    record FileLine(String name, long bytes, String sha256, boolean verified) {
    }

    private SessionReport() {
    }

    static void print(Console console, boolean json, String verb, List<FileLine> files, long bytes,
            long connectMillis, long nanos, ConnectionStats stats) {
        double rate = Units.bytesPerSecond(bytes, nanos);
        if (json) {
            ObjectNode root = ReportPrinter.JSON.createObjectNode();
            ArrayNode list = root.putArray("files");
            for (FileLine f : files) {
                ObjectNode n = list.addObject();
                n.put("name", f.name());
                n.put("bytes", f.bytes());
                n.put("sha256", f.sha256());
                n.put("verified", f.verified());
            }
            root.put("bytes", bytes);
            root.put("connect_ms", connectMillis);
            root.put("seconds", nanos / 1e9);
            root.put("bytes_per_second", Math.round(rate));
            root.put("bits_per_second", Math.round(rate * 8));
            if (stats != null) {
                root.set("connection", ReportPrinter.connectionJson(stats));
            }
            console.out.println(root.toPrettyString());
        } else {
            console.out.printf(Locale.ROOT, "%s %d file%s, %s in %.2f s: %s%n", capitalised(verb), files.size(),
                    files.size() == 1 ? "" : "s", Units.formatSize(bytes), nanos / 1e9, Units.formatRate(rate));
            if (stats != null) {
                ReportPrinter.printPath(console.out, stats);
            }
            for (FileLine f : files) {
                console.out.printf("  %s  %s  %s%n", f.sha256(), f.name(), f.verified() ? "verified" : "");
            }
        }
        console.out.flush();
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
