package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MetricsTextTest {

    /** name{labels} value, as in the 0.0.4 text format (no timestamps here). */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"\\})? "
                    + "(?:[0-9.eE+-]+|\\+Inf|NaN)");

    private static List<String> lines(String text) {
        assertTrue(text.endsWith("\n"), "must end with a line feed");
        return List.of(text.split("\n"));
    }

    private static String value(String text, String series) {
        for (String l : lines(text)) {
            if (l.startsWith(series + " ")) {
                return l.substring(series.length() + 1);
            }
        }
        throw new AssertionError("no sample " + series + " in\n" + text);
    }

    @Test
    void redisGaugeOnlyWithRedis() {
        ServerMetrics m = new ServerMetrics();
        assertTrue(MetricsText.render(1, 1, m, true).contains(
                "# TYPE rtcat_signal_redis_up gauge\nrtcat_signal_redis_up 1\n"));
        assertTrue(MetricsText.render(1, 1, m, false).contains("\nrtcat_signal_redis_up 0\n"));
        assertEquals(MetricsText.render(1, 1, m), MetricsText.render(1, 1, m, null));
        assertTrue(!MetricsText.render(1, 1, m, null).contains("redis"));
    }

    @Test
    void everyLineIsHelpTypeOrSampleAndEachMetricIsDeclaredOnce() {
        ServerMetrics m = new ServerMetrics();
        String text = MetricsText.render(3, 2, m);
        List<String> declared = new ArrayList<>();
        String current = null;
        for (String l : lines(text)) {
            if (l.startsWith("# HELP ")) {
                current = l.split(" ")[2];
                assertTrue(!declared.contains(current), "declared twice: " + current);
                declared.add(current);
            } else if (l.startsWith("# TYPE ")) {
                String[] p = l.split(" ");
                assertEquals(current, p[2], "TYPE follows its HELP");
                assertTrue(List.of("counter", "gauge", "histogram").contains(p[3]), l);
            } else {
                assertTrue(SAMPLE.matcher(l).matches(), "not a sample line: " + l);
                assertTrue(l.startsWith(current), l + " outside its family " + current);
            }
        }
        assertEquals(List.of("rtcat_signal_connections", "rtcat_signal_connections_total", "rtcat_signal_rooms",
                "rtcat_signal_messages_relayed_total", "rtcat_signal_lost_writes_repaired_total",
                "rtcat_signal_rejections_total", "rtcat_signal_page_requests_total", "rtcat_signal_relay_seconds"),
                declared);
        assertEquals("3", value(text, "rtcat_signal_connections"));
        assertEquals("2", value(text, "rtcat_signal_rooms"));
        assertTrue(text.contains("# TYPE rtcat_signal_relay_seconds histogram\n"), text);
    }

    @Test
    void everyKnownReasonStartsAtZero() {
        String text = MetricsText.render(0, 0, new ServerMetrics());
        for (String r : ServerMetrics.REASONS) {
            assertEquals("0", value(text, "rtcat_signal_rejections_total{reason=\"" + r + "\"}"));
        }
    }

    @Test
    void countersAndRejectionsAreRendered() {
        ServerMetrics m = new ServerMetrics();
        m.connectionOpened();
        m.connectionOpened();
        m.rejected(ServerMetrics.UNAUTHORIZED);
        m.rejected(SignalingProtocol.ERR_BAD_JSON);
        m.rejected(SignalingProtocol.ERR_BAD_JSON);
        String text = MetricsText.render(1, 0, m);
        assertEquals("2", value(text, "rtcat_signal_connections_total"));
        assertEquals("1", value(text, "rtcat_signal_rejections_total{reason=\"unauthorized\"}"));
        assertEquals("2", value(text, "rtcat_signal_rejections_total{reason=\"bad-json\"}"));
        assertEquals("0", value(text, "rtcat_signal_page_requests_total{status=\"200\"}"));
        m.pageAnswered(404);
        assertEquals("1", value(MetricsText.render(1, 0, m), "rtcat_signal_page_requests_total{status=\"404\"}"));
    }

    @Test
    void histogramBucketsAreCumulativeWithSumAndCount() {
        ServerMetrics m = new ServerMetrics();
        m.relayed(50_000);         // 50 us   -> le 0.0001
        m.relayed(100_000);        // 100 us  -> le 0.0001 (bounds are inclusive)
        m.relayed(3_000_000);      // 3 ms    -> le 0.005
        m.relayed(2_000_000_000L); // 2 s     -> only +Inf
        String text = MetricsText.render(0, 0, m);
        assertEquals("2", value(text, "rtcat_signal_relay_seconds_bucket{le=\"0.0001\"}"));
        assertEquals("2", value(text, "rtcat_signal_relay_seconds_bucket{le=\"0.0025\"}"));
        assertEquals("3", value(text, "rtcat_signal_relay_seconds_bucket{le=\"0.005\"}"));
        assertEquals("3", value(text, "rtcat_signal_relay_seconds_bucket{le=\"1\"}"));
        assertEquals("4", value(text, "rtcat_signal_relay_seconds_bucket{le=\"+Inf\"}"));
        assertEquals("4", value(text, "rtcat_signal_relay_seconds_count"));
        assertEquals("2.00315", value(text, "rtcat_signal_relay_seconds_sum"));
        assertEquals("4", value(text, "rtcat_signal_messages_relayed_total"));
        long previous = 0;
        for (String l : lines(text)) {
            if (l.startsWith("rtcat_signal_relay_seconds_bucket")) {
                long v = Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
                assertTrue(v >= previous, "buckets must not decrease: " + l);
                previous = v;
            }
        }
        assertTrue(text.indexOf("le=\"1\"") < text.indexOf("le=\"+Inf\""), "+Inf is the last bucket");
    }

    @Test
    void labelValuesAreEscaped() {
        ServerMetrics m = new ServerMetrics();
        m.rejected("odd \"quoted\" back\\slash\nnewline");
        String text = MetricsText.render(0, 0, m);
        assertTrue(text.contains("rtcat_signal_rejections_total{reason=\"odd \\\"quoted\\\" back\\\\slash\\nnewline\"} 1\n"),
                text);
        for (String l : lines(text)) {
            assertTrue(l.startsWith("#") || SAMPLE.matcher(l).matches(), "not a sample line: " + l);
        }
        assertEquals("a\\\\b\\nc \"q\"", MetricsText.escapeHelp("a\\b\nc \"q\""));
    }

    @Test
    void numbersArePlainDecimals() {
        assertEquals("0.0001", MetricsText.number(0.0001));
        assertEquals("0.00025", MetricsText.number(0.00025));
        assertEquals("1", MetricsText.number(1));
        assertEquals("0", MetricsText.number(0));
        assertEquals("+Inf", MetricsText.number(Double.POSITIVE_INFINITY));
    }

    @Test
    void histogramBoundsMustIncrease() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServerMetrics.Histogram(new double[] {0.1, 0.1}));
        assertTrue(e.getMessage().contains("increase"), e.getMessage());
    }
}
