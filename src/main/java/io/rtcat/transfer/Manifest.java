package io.rtcat.transfer;

import java.util.List;

/**
 * The list of files a batch sender offers, sent before the first file so the receiver can check
 * every name, refuse conflicts and ask its user before any data flows.
 *
 * @param totalBytes sum of all sizes, or {@link ProtocolCodec#UNKNOWN_SIZE} if any size is unknown
 */
public record Manifest(List<Entry> files, long totalBytes) {

    public Manifest {
        files = List.copyOf(files);
    }

    /**
     * One offered file.
     *
     * @param name relative, {@code /}-separated name (as offered; the receiver validates it)
     * @param size bytes, or {@link ProtocolCodec#UNKNOWN_SIZE} for a pipe
     * @param sha256 lowercase hex of the content, or null if unknown in advance (a pipe)
     * @param mtimeMillis last-modified time in epoch milliseconds, or null
     */
    public record Entry(String name, long size, String sha256, Long mtimeMillis) {}

    /** The manifest of {@code entries}, totalling their sizes. */
    public static Manifest of(List<Entry> entries) {
        long total = 0;
        for (Entry e : entries) {
            if (e.size() < 0) {
                total = ProtocolCodec.UNKNOWN_SIZE;
                break;
            }
            total += e.size();
        }
        return new Manifest(entries, total);
    }
}
