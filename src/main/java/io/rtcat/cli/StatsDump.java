package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.json.Mappers;
import io.rtcat.peer.Peer;
import io.rtcat.stats.StatsEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** --stats-dump: the full stats report of each peer, written atomically ({@link ReportFile}). */
final class StatsDump {

    private StatsDump() {
    }

    /** Reads every peer's report now; peers already closed are skipped. */
    static Map<String, List<StatsEntry>> collect(Map<String, Peer> peers) {
        Map<String, List<StatsEntry>> out = new TreeMap<>();
        peers.forEach((name, peer) -> {
            List<StatsEntry> entries = Futures.poll(peer.fullStats(), TimeUnit.SECONDS.toNanos(5));
            if (entries != null) {
                out.put(name, entries);
            }
        });
        return out;
    }

    static void write(Path file, Map<String, List<StatsEntry>> reports, String error) throws RtcatException {
        ObjectNode root = JsonDocument.create();
        root.put("schema", "rtcat-stats-dump-1");
        if (error != null) {
            root.put("error", error);
        }
        ObjectNode peers = root.putObject("peers");
        reports.forEach((name, entries) -> {
            ArrayNode list = peers.putArray(name);
            for (StatsEntry e : entries) {
                ObjectNode n = list.addObject();
                n.put("id", e.id());
                n.put("type", e.type());
                n.put("timestamp_us", e.timestampMicros());
                n.set("attributes", Mappers.PRETTY.valueToTree(e.attributes()));
            }
        });
        try {
            ReportFile.replace(file, root.toPrettyString() + "\n");
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot write the stats dump " + file + ": "
                    + e.getMessage(), null, e);
        }
    }
}
