package io.rtcat.cli;

import io.rtcat.diagnostics.CheckReport;
import io.rtcat.diagnostics.RttStats;
import io.rtcat.diagnostics.Throughput;
import io.rtcat.stats.ConnectTimings;
import io.rtcat.stats.Units;
import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable report of `rtcat check`. */
final class CheckText {

    private CheckText() {
    }

    static void print(PrintWriter out, CheckReport r) {
        ConnectTimings t = r.timings();
        out.printf(Locale.ROOT, "Connected in %s (signaling %d, ICE+DTLS %d, channel open %d ms)%n",
                Units.formatMillis(r.connectMillis()), t.signalingMillis(), t.iceDtlsMillis(), t.channelMillis());
        if (r.connection() != null) {
            ReportPrinter.printPath(out, r.connection());
        } else {
            out.println("Path:     unknown (stats unavailable)");
        }
        RttStats rtt = r.rtt();
        out.printf(Locale.ROOT, "Pings:    %d sent, %d answered, %d lost%n", r.pingsSent(), r.pingsAnswered(),
                r.pingsLost());
        out.printf(Locale.ROOT, "Ping RTT: min %.3f / avg %.3f / max %.3f / median %.3f / p95 %.3f / stddev %.3f ms%n",
                rtt.min(), rtt.avg(), rtt.max(), rtt.p50(), rtt.p95(), rtt.stddev());
        for (Throughput tp : r.throughput()) {
            out.printf(Locale.ROOT, "%-9s %s in %.2f s, %s%n", tp.direction().equals("up") ? "Upload:" : "Download:",
                    Units.formatSize(tp.bytes()), tp.seconds(), Units.formatRate(tp.bytesPerSecond()));
        }
        if (r.media() != null) {
            MediaText.print(out, r.media());
        }
    }
}
