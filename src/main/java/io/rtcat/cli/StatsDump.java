package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.json.Mappers;
import io.rtcat.peer.Peer;
import io.rtcat.stats.StatsEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** --stats-dump: the full stats report of each peer, written atomically (temp file, fsync, rename). */
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
        Path target = file.toAbsolutePath();
        Path temp = null;
        try {
            // A fresh, unpredictable name created exclusively: a fixed name in a shared directory (/tmp) could be a
            // link planted by someone else, and writing through it would overwrite their choice of file.
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".rtcat-tmp");
            Files.writeString(temp, root.toPrettyString() + "\n", StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot write the stats dump " + file + ": "
                    + e.getMessage(), null, e);
        }
    }
}
