package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.CheckFailure;
import io.rtcat.diagnostics.CheckReport;
import io.rtcat.diagnostics.RttStats;
import io.rtcat.diagnostics.Throughput;
import io.rtcat.json.Mappers;
import io.rtcat.stats.ConnectTimings;
import java.util.List;

/** The `rtcat check --json` document (schema: src/main/resources/schemas/check.schema.json). */
final class CheckJson {

    private CheckJson() {
    }

    static ObjectNode of(CheckReport r, List<CheckFailure> failures) {
        ObjectNode root = Mappers.PRETTY.createObjectNode();
        root.put("schema_version", JsonDocument.SCHEMA_VERSION);
        root.put("mode", r.mode());
        root.put("connect_ms", r.connectMillis());
        ConnectTimings t = r.timings();
        root.putObject("connect_phases_ms")
                .put("signaling", t.signalingMillis())
                .put("ice_dtls", t.iceDtlsMillis())
                .put("channel", t.channelMillis());
        RttStats rtt = r.rtt();
        root.putObject("rtt_ms")
                .put("min", micros(rtt.min()))
                .put("avg", micros(rtt.avg()))
                .put("max", micros(rtt.max()))
                .put("p50", micros(rtt.p50()))
                .put("p95", micros(rtt.p95()))
                .put("stddev", micros(rtt.stddev()));
        root.putObject("pings")
                .put("sent", r.pingsSent())
                .put("answered", r.pingsAnswered())
                .put("lost", r.pingsLost());
        var list = root.putArray("throughput");
        for (Throughput tp : r.throughput()) {
            list.addObject()
                    .put("direction", tp.direction())
                    .put("bytes", tp.bytes())
                    .put("seconds", Math.round(tp.seconds() * 1e6) / 1e6)
                    .put("bytes_per_second", Math.round(tp.bytesPerSecond()));
        }
        if (r.connection() != null) {
            root.set("connection", ReportPrinter.connectionJson(r.connection()));
        } else {
            root.putNull("connection");
        }
        if (r.media() != null) {
            root.set("media", MediaJson.of(r.media()));
        }
        var failed = root.putArray("failures");
        for (CheckFailure f : failures) {
            failed.addObject().put("kind", f.kind().id()).put("exit_code", ExitCode.of(f.kind()))
                    .put("message", f.message());
        }
        root.put("passed", failures.isEmpty());
        root.put("rtcat_version", BuildInfo.CURRENT.describe());
        return root;
    }

    /** Milliseconds rounded to the microsecond. */
    private static double micros(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
