package io.rtcat.signaling;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Renders {@link ServerMetrics} in the Prometheus text exposition format, version 0.0.4: for each
 * metric a {@code # HELP} and a {@code # TYPE} line, then its samples, lines ending in {@code \n}.
 */
public final class MetricsText {

    /** The Content-Type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsText() {
    }

    /**
     * @param openConnections admitted connections open now
     * @param rooms           rooms with at least one member now
     */
    public static String render(long openConnections, long rooms, ServerMetrics m) {
        return render(openConnections, rooms, m, null);
    }

    /**
     * @param redisUp with {@code --redis}: whether Redis is reachable and this server's members are
     *                registered there (rendered as {@code rtcat_signal_redis_up} 1 or 0); null: no such line
     */
    public static String render(long openConnections, long rooms, ServerMetrics m, Boolean redisUp) {
        StringBuilder b = new StringBuilder(2048);
        if (redisUp != null) {
            header(b, "rtcat_signal_redis_up", "gauge", "1 while Redis (--redis) is reachable and this server's "
                    + "members are registered there, else 0.");
            sample(b, "rtcat_signal_redis_up", null, redisUp ? 1 : 0);
        }
        header(b, "rtcat_signal_connections", "gauge", "Open WebSocket connections that passed the token and "
                + "per-IP checks.");
        sample(b, "rtcat_signal_connections", null, openConnections);
        header(b, "rtcat_signal_connections_total", "counter", "WebSocket connections opened, including "
                + "rejected ones.");
        sample(b, "rtcat_signal_connections_total", null, m.connectionsTotal());
        header(b, "rtcat_signal_rooms", "gauge", "Rooms with at least one member.");
        sample(b, "rtcat_signal_rooms", null, rooms);
        header(b, "rtcat_signal_messages_relayed_total", "counter", "Client messages handed to at least one "
                + "other member of the room.");
        sample(b, "rtcat_signal_messages_relayed_total", null, m.messagesRelayed());
        header(b, "rtcat_signal_lost_writes_repaired_total", "counter", "Connections whose queued frames the "
                + "WebSocket library had stopped asking to write, found and asked again (at most 50 ms late).");
        sample(b, "rtcat_signal_lost_writes_repaired_total", null, m.lostWritesRepaired());
        header(b, "rtcat_signal_rejections_total", "counter", "Connections closed or messages refused by the "
                + "server, by reason (close reason or error code).");
        for (Map.Entry<String, Long> e : m.rejections().entrySet()) {
            sample(b, "rtcat_signal_rejections_total", "reason=\"" + escapeLabel(e.getKey()) + "\"", e.getValue());
        }
        header(b, "rtcat_signal_page_requests_total", "counter", "Plain HTTP requests on the signaling port (the "
                + "browser page and its files, 404s, bad requests), by response status.");
        for (Map.Entry<Integer, Long> e : m.pageRequests().entrySet()) {
            sample(b, "rtcat_signal_page_requests_total", "status=\"" + e.getKey() + "\"", e.getValue());
        }
        ServerMetrics.Histogram.Snapshot h = m.relaySeconds();
        header(b, "rtcat_signal_relay_seconds", "histogram", "Time from receiving a message to handing it to "
                + "the recipients' sockets.");
        for (int i = 0; i < h.bounds().length; i++) {
            b.append("rtcat_signal_relay_seconds_bucket{le=\"").append(number(h.bounds()[i])).append("\"} ")
                    .append(h.cumulative()[i]).append('\n');
        }
        b.append("rtcat_signal_relay_seconds_bucket{le=\"+Inf\"} ").append(h.count()).append('\n');
        b.append("rtcat_signal_relay_seconds_sum ").append(number(h.sumSeconds())).append('\n');
        b.append("rtcat_signal_relay_seconds_count ").append(h.count()).append('\n');
        return b.toString();
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, String labels, long value) {
        b.append(name);
        if (labels != null) {
            b.append('{').append(labels).append('}');
        }
        b.append(' ').append(value).append('\n');
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escapeLabel(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** HELP text escapes backslash and line feed (not quotes). */
    static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Plain decimal without exponent or trailing zeros: 0.0001, 1, 0.25. */
    static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        return s;
    }
}
