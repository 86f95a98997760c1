package io.rtcat.diagnostics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.json.Mappers;
import io.rtcat.stats.StatsEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The RTP figures of a media check, picked from WebRTC stats reports. Both sides reduce their report to the same
 * small JSON shape (the responder sends it over the check channel as {@code media-stats}), and both are read back
 * through {@link Rtp#from}, so the checker treats its own and the responder's figures alike.
 */
public final class MediaStats {


    /** Attributes kept from inbound-rtp / outbound-rtp / remote-inbound-rtp entries (W3C names). */
    private static final Set<String> KEPT = Set.of("kind", "rid", "ssrc", "bytesSent", "bytesReceived",
            "packetsSent", "packetsReceived", "packetsLost", "jitter", "fractionLost", "roundTripTime",
            "framesEncoded", "framesSent", "framesReceived", "framesDecoded", "framesDropped", "framesPerSecond",
            "frameWidth", "frameHeight", "targetBitrate", "qualityLimitationReason", "qualityLimitationDurations",
            "qualityLimitationResolutionChanges", "nackCount", "pliCount", "firCount", "retransmittedBytesSent",
            "freezeCount", "totalFreezesDuration", "jitterBufferDelay", "jitterBufferEmittedCount",
            "concealedSamples", "totalSamplesReceived", "encoderImplementation", "decoderImplementation", "active");

    private MediaStats() {
    }

    /** The entries of one type ("inbound-rtp", "outbound-rtp", "remote-inbound-rtp") in the shared shape. */
    public static ArrayNode select(List<StatsEntry> entries, String type) {
        Map<String, String> codecs = new HashMap<>();
        for (StatsEntry e : entries) {
            if (e.type().equals("codec") && e.attributes().get("mimeType") instanceof String mime) {
                codecs.put(e.id(), mime.contains("/") ? mime.substring(mime.indexOf('/') + 1) : mime);
            }
        }
        ArrayNode out = Mappers.JSON.createArrayNode();
        for (StatsEntry e : entries) {
            if (!e.type().equals(type)) {
                continue;
            }
            ObjectNode o = out.addObject();
            e.attributes().forEach((k, v) -> {
                if (KEPT.contains(k)) {
                    o.set(k, Mappers.JSON.valueToTree(v));
                }
            });
            if (e.attributes().get("codecId") instanceof String id && codecs.containsKey(id)) {
                o.put("codec", codecs.get(id));
            }
            o.put("timestamp_us", e.timestampMicros());
        }
        return out;
    }

    /** The sender's bandwidth estimate (availableOutgoingBitrate of the nominated pair), bits/s; null if none. */
    public static Double bandwidthEstimate(List<StatsEntry> entries) {
        Double best = null;
        for (StatsEntry e : entries) {
            if (e.type().equals("candidate-pair") && Boolean.TRUE.equals(e.attributes().get("nominated"))
                    && e.attributes().get("availableOutgoingBitrate") instanceof Number n) {
                best = best == null ? n.doubleValue() : Math.max(best, n.doubleValue());
            }
        }
        return best;
    }

    /** One RTP stream's figures; absent numbers are 0, absent texts null. */
    public record Rtp(String kind, String rid, long ssrc, String codec, long timestampMicros, long bytes, long packets,
            long packetsLost, double jitterSeconds, double fractionLost, double roundTripSeconds, long framesEncoded,
            long framesReceived, long framesDecoded, long framesDropped, double framesPerSecond, int width, int height,
            double targetBitrate, String qualityLimitationReason, Map<String, Double> qualityLimitationDurations,
            long nackCount, long pliCount, long firCount, long retransmittedBytes, long freezeCount,
            double freezeSeconds, double jitterBufferDelaySeconds, long jitterBufferEmitted, long concealedSamples,
            long totalSamples, String implementation) {

        public static Rtp from(JsonNode o) {
            Map<String, Double> durations = new HashMap<>();
            o.path("qualityLimitationDurations").fields()
                    .forEachRemaining(f -> durations.put(f.getKey(), f.getValue().asDouble()));
            return new Rtp(text(o, "kind"), text(o, "rid"), o.path("ssrc").asLong(), text(o, "codec"),
                    o.path("timestamp_us").asLong(),
                    o.path("bytesSent").asLong(o.path("bytesReceived").asLong()),
                    o.path("packetsSent").asLong(o.path("packetsReceived").asLong()),
                    o.path("packetsLost").asLong(), o.path("jitter").asDouble(), o.path("fractionLost").asDouble(),
                    o.path("roundTripTime").asDouble(), o.path("framesEncoded").asLong(),
                    o.path("framesReceived").asLong(), o.path("framesDecoded").asLong(),
                    o.path("framesDropped").asLong(), o.path("framesPerSecond").asDouble(),
                    o.path("frameWidth").asInt(), o.path("frameHeight").asInt(), o.path("targetBitrate").asDouble(),
                    text(o, "qualityLimitationReason"), Map.copyOf(durations), o.path("nackCount").asLong(),
                    o.path("pliCount").asLong(), o.path("firCount").asLong(),
                    o.path("retransmittedBytesSent").asLong(), o.path("freezeCount").asLong(),
                    o.path("totalFreezesDuration").asDouble(), o.path("jitterBufferDelay").asDouble(),
                    o.path("jitterBufferEmittedCount").asLong(), o.path("concealedSamples").asLong(),
                    o.path("totalSamplesReceived").asLong(),
                    text(o, "encoderImplementation") != null ? text(o, "encoderImplementation")
                            : text(o, "decoderImplementation"));
        }

        public boolean video() {
            return "video".equals(kind);
        }

        public boolean audio() {
            return "audio".equals(kind);
        }

        private static String text(JsonNode o, String name) {
            JsonNode v = o.get(name);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    public static List<Rtp> parse(JsonNode array) {
        List<Rtp> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(o -> out.add(Rtp.from(o)));
        }
        return out;
    }
}
