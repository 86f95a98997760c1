package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.rtcat.stats.StatsEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaStatsTest {

    private static final List<StatsEntry> REPORT = List.of(
            new StatsEntry("COT01_96", "codec", 1, Map.of("mimeType", "video/VP9", "payloadType", 96L)),
            new StatsEntry("IT01V", "inbound-rtp", 2_000_000, Map.ofEntries(Map.entry("kind", "video"),
                    Map.entry("codecId", "COT01_96"), Map.entry("bytesReceived", 125_000L),
                    Map.entry("packetsReceived", 100L), Map.entry("packetsLost", 2), Map.entry("jitter", 0.004),
                    Map.entry("framesDecoded", 60L), Map.entry("frameWidth", 640L), Map.entry("frameHeight", 360L),
                    Map.entry("decoderImplementation", "libvpx"), Map.entry("transportId", "T01"))),
            new StatsEntry("OT01V", "outbound-rtp", 2_000_000, Map.of("kind", "video", "bytesSent", 9L)),
            new StatsEntry("CP1", "candidate-pair", 2_000_000, Map.of("nominated", true,
                    "availableOutgoingBitrate", 2_500_000.0)),
            new StatsEntry("CP2", "candidate-pair", 2_000_000, Map.of("nominated", false,
                    "availableOutgoingBitrate", 9_000_000.0)));

    @Test
    void keepsTheFiguresOfOneTypeAndNamesTheCodec() {
        ArrayNode inbound = MediaStats.select(REPORT, "inbound-rtp");
        assertEquals(1, inbound.size());
        assertNull(inbound.get(0).get("transportId"), "unlisted attributes are dropped");
        MediaStats.Rtp r = MediaStats.Rtp.from(inbound.get(0));
        assertEquals("video", r.kind());
        assertEquals("VP9", r.codec());
        assertEquals(125_000, r.bytes());
        assertEquals(100, r.packets());
        assertEquals(2, r.packetsLost());
        assertEquals(640, r.width());
        assertEquals("libvpx", r.implementation());
        assertEquals(2_000_000, r.timestampMicros());
        assertEquals(0.004, r.jitterSeconds());
    }

    @Test
    void theEstimateIsTheNominatedPairs() {
        assertEquals(2_500_000.0, MediaStats.bandwidthEstimate(REPORT));
        assertNull(MediaStats.bandwidthEstimate(List.of()));
    }

    @Test
    void settledIsTheMedianOfTheLastThird() {
        List<MediaSecond> rows = new java.util.ArrayList<>();
        double[] kbps = {100, 200, 300, 400, 500, 600, 700, 800, 900};
        for (int i = 0; i < kbps.length; i++) {
            rows.add(new MediaSecond(i + 1, null, 0, 0, kbps[i], 0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0));
        }
        assertEquals(800, MediaSummary.settled(rows, MediaSecond::receivedVideoKbps));
        assertEquals(0, MediaSummary.settled(List.of(), MediaSecond::receivedVideoKbps));
    }
}
