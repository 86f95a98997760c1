package io.rtcat.peer;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import io.rtcat.stats.CandidateInfo;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.StatsEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.Map;

/**
 * Reads the selected candidate pair, RTT and DTLS parameters out of a stats report:
 * TRANSPORT.selectedCandidatePairId leads to the CANDIDATE_PAIR, whose local/remoteCandidateId lead to
 * the two candidates.
 */
final class StatsMapper {

    private StatsMapper() {
    }

    static ConnectionStats map(RTCStatsReport report) {
        Map<String, RTCStats> all = report.getStats();
        RTCStats transport = all.values().stream()
                .filter(s -> s.getType() == RTCStatsType.TRANSPORT)
                .findFirst().orElse(null);
        Map<String, Object> t = transport == null ? Map.of() : transport.getAttributes();
        RTCStats pair = all.get(string(t.get("selectedCandidatePairId")));
        if (pair == null) {
            // Some builds leave selectedCandidatePairId unset; fall back to the nominated, succeeded pair.
            pair = all.values().stream()
                    .filter(s -> s.getType() == RTCStatsType.CANDIDATE_PAIR)
                    .filter(s -> Boolean.TRUE.equals(s.getAttributes().get("nominated")))
                    .findFirst().orElse(null);
        }
        Map<String, Object> p = pair == null ? Map.of() : pair.getAttributes();
        Double rttMillis = pathRttMillis(p);
        return new ConnectionStats(
                rttMillis,
                candidate(all.get(string(p.get("localCandidateId")))),
                candidate(all.get(string(p.get("remoteCandidateId")))),
                dtlsVersion(string(t.get("tlsVersion"))),
                string(t.get("dtlsCipher")),
                string(t.get("dtlsRole")),
                string(t.get("iceRole")),
                number(t.get("bytesSent")),
                number(t.get("bytesReceived")),
                // the selected pair's: what one side sent and the other received on the path in use
                number(p.get("packetsSent")),
                number(p.get("packetsReceived")));
    }

    /** Every object of the report, values made JSON-friendly (BigInteger and arrays become Number and List). */
    static List<StatsEntry> dump(RTCStatsReport report) {
        List<StatsEntry> out = new ArrayList<>();
        for (RTCStats s : report.getStats().values()) {
            Map<String, Object> attributes = new TreeMap<>();
            s.getAttributes().forEach((k, v) -> {
                if (v != null) {
                    attributes.put(k, plain(v));
                }
            });
            out.add(new StatsEntry(s.getId(), s.getType().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    s.getTimestamp(), attributes));
        }
        out.sort(Comparator.comparing(StatsEntry::type).thenComparing(StatsEntry::id));
        return out;
    }

    private static Object plain(Object v) {
        if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Double || v instanceof Float) {
            return v;
        }
        if (v instanceof Number n) {
            return n.longValue(); // BigInteger counters
        }
        if (v instanceof Object[] array) {
            return Arrays.stream(array).map(StatsMapper::plain).toList();
        }
        if (v instanceof Iterable<?> list) {
            List<Object> items = new ArrayList<>();
            list.forEach(item -> items.add(plain(item)));
            return items;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new TreeMap<>();
            map.forEach((k, x) -> m.put(String.valueOf(k), plain(x)));
            return m;
        }
        return v.toString();
    }

    private static CandidateInfo candidate(RTCStats stats) {
        if (stats == null) {
            return null;
        }
        Map<String, Object> a = stats.getAttributes();
        Object port = a.get("port");
        return new CandidateInfo(string(a.get("candidateType")), string(a.get("protocol")),
                string(a.get("address")), port instanceof Number n ? n.intValue() : null,
                string(a.get("relayProtocol")), string(a.get("url")));
    }

    /** The TLS version field is the record-layer version in hex: FEFD is DTLS 1.2, FEFC is DTLS 1.3. */
    static String dtlsVersion(String hex) {
        if (hex == null) {
            return null;
        }
        switch (hex.toUpperCase(Locale.ROOT)) {
            case "FEFD":
                return "DTLS 1.2";
            case "FEFC":
                return "DTLS 1.3";
            case "FEFF":
                return "DTLS 1.0";
            default:
                return hex;
        }
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    /**
     * The pair's RTT: the latest STUN round trip, or the mean of all of them when that is lower. Right after the
     * connection opens the latest sample may be one delayed check (a 22 ms spike on a veth link was seen), and
     * --streams auto decides by this figure; a queueing delay only ever adds to a path's RTT, so the lower
     * estimate is the better one.
     */
    static Double pathRttMillis(Map<String, Object> pair) {
        Double current = pair.get("currentRoundTripTime") instanceof Number n ? n.doubleValue() * 1000.0 : null;
        long responses = number(pair.get("responsesReceived"));
        Double mean = responses > 0 && pair.get("totalRoundTripTime") instanceof Number t
                ? t.doubleValue() * 1000.0 / responses : null;
        if (current == null) {
            return mean;
        }
        return mean == null ? current : Math.min(current, mean);
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}
