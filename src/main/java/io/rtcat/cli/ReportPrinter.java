package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.json.Mappers;
import io.rtcat.peer.SocketReceiveBuffers;
import io.rtcat.stats.CandidateInfo;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.TransferReport;
import io.rtcat.stats.Units;
import io.rtcat.transfer.PacingSummary;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a {@link TransferReport} as an iperf3-style table or as one JSON document. */
final class ReportPrinter {

    private ReportPrinter() {
    }

    static void printText(PrintWriter out, TransferReport r) {
        ConnectionStats c = r.connection();
        out.printf(Locale.ROOT, "Connected in %s%n", Units.formatMillis(r.connectMillis()));
        if (c != null) {
            printPath(out, c);
        }
        out.printf(Locale.ROOT, "Chunks:   %s, send watermark %s, receive window %s%n",
                Units.formatSize(r.chunkSize()), Units.formatSize(r.highWatermark()), Units.formatSize(r.window()));
        out.println("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -");
        out.println("Interval          Transfer      Bitrate");
        out.printf(Locale.ROOT, "0.00-%-8s sec %-13s %s  sender%n", seconds(r.senderNanos()),
                Units.formatSize(r.bytes()), Units.formatRate(r.senderBytesPerSecond()));
        out.printf(Locale.ROOT, "0.00-%-8s sec %-13s %s  receiver%n", seconds(r.receiverNanos()),
                Units.formatSize(r.bytes()), Units.formatRate(r.receiverBytesPerSecond()));
        out.printf("SHA-256:  %s %s%n", r.sha256(), r.verified() ? "(verified by the receiver)" : "(not verified)");
        out.flush();
    }

    /** Path, RTT and DTLS lines. */
    static void printPath(PrintWriter out, ConnectionStats c) {
        out.printf("Path:     %s  %s  <->  %s%n", c.path(), describe(c.local()), describe(c.remote()));
        out.printf("RTT:      %s%n", Units.formatRtt(c.rttMillis()));
        out.printf("DTLS:     %s %s%n", nz(c.dtlsVersion()), nz(c.dtlsCipher()));
    }

    static ObjectNode toJson(TransferReport r) {
        ObjectNode root = JsonDocument.create();
        root.put("name", r.name());
        root.put("bytes", r.bytes());
        root.put("sha256", r.sha256());
        root.put("verified", r.verified());
        root.put("connect_ms", r.connectMillis());
        ObjectNode sender = root.putObject("sender");
        sender.put("seconds", r.senderNanos() / 1e9);
        sender.put("bytes_per_second", Math.round(r.senderBytesPerSecond()));
        sender.put("bits_per_second", Math.round(r.senderBytesPerSecond() * 8));
        ObjectNode receiver = root.putObject("receiver");
        receiver.put("seconds", r.receiverNanos() / 1e9);
        receiver.put("bytes_per_second", Math.round(r.receiverBytesPerSecond()));
        receiver.put("bits_per_second", Math.round(r.receiverBytesPerSecond() * 8));
        ObjectNode settings = root.putObject("settings");
        settings.put("chunk_size", r.chunkSize());
        settings.put("high_watermark", r.highWatermark());
        settings.put("window", r.window());
        if (r.connection() != null) {
            root.set("connection", connectionJson(r.connection()));
        }
        root.put("rtcat_version", BuildInfo.CURRENT.describe());
        return root;
    }

    static ObjectNode connectionJson(ConnectionStats c) {
        ObjectNode conn = Mappers.PRETTY.createObjectNode();
        conn.put("path", c.path());
        if (c.rttMillis() != null) {
            conn.put("ice_rtt_ms", c.rttMillis());
        } else {
            conn.putNull("ice_rtt_ms");
        }
        conn.set("local_candidate", candidate(c.local()));
        conn.set("remote_candidate", candidate(c.remote()));
        conn.put("dtls_version", c.dtlsVersion());
        conn.put("dtls_cipher", c.dtlsCipher());
        conn.put("dtls_role", c.dtlsRole());
        conn.put("ice_role", c.iceRole());
        return conn;
    }

    /** The sender's pacing (see transfer.Pacer) and the UDP receive buffer this process got. */
    static ObjectNode pacingJson(PacingSummary p) {
        ObjectNode n = Mappers.PRETTY.createObjectNode();
        n.put("active", p.active());
        n.put("bottleneck_bytes_per_second", Math.round(p.bottleneckBytesPerSecond()));
        if (Double.isNaN(p.minRttMillis())) {
            n.putNull("min_rtt_ms");
        } else {
            n.put("min_rtt_ms", Math.round(p.minRttMillis() * 10) / 10.0);
        }
        n.put("pacing_bytes_per_second", Math.round(p.pacingBytesPerSecond()));
        n.put("max_pacing_bytes_per_second", Math.round(p.maxPacingBytesPerSecond()));
        n.put("waited_ms", Math.round(p.waitedMillis()));
        n.put("udp_receive_buffer_bytes", SocketReceiveBuffers.last().bytes());
        return n;
    }

    private static ObjectNode candidate(CandidateInfo info) {
        ObjectNode n = Mappers.PRETTY.createObjectNode();
        if (info == null) {
            return n;
        }
        n.put("type", info.type());
        n.put("protocol", info.protocol());
        n.put("address", info.address());
        if (info.port() != null) {
            n.put("port", info.port());
        }
        if (info.relayProtocol() != null) {
            n.put("relay_protocol", info.relayProtocol());
        }
        if (info.url() != null) {
            n.put("url", info.url());
        }
        return n;
    }

    private static String describe(CandidateInfo info) {
        return info == null ? "?" : info.describe();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
