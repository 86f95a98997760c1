package io.rtcat.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Watches the kernel's count of UDP datagrams dropped because a socket's receive buffer was full
 * ({@code RcvbufErrors} in /proc/net/snmp, for this network namespace). libwebrtc leaves its sockets at the
 * kernel's default buffer ({@code net.core.rmem_default}, ~208 KB on Linux); on a path with delay the packets of
 * a data channel arrive in bursts, overflow it, and SCTP then backs off as if the network were lossy. Measured
 * through netlab at 100 ms RTT: one stream 1.8 MB/s with ~9% of its packets dropped this way, 18 MB/s with
 * {@code rmem_default} at 4 MiB and no drops.
 */
public final class UdpReceiveDrops {

    private static final Path SNMP = Path.of("/proc/net/snmp");
    private static final Path RMEM_DEFAULT = Path.of("/proc/sys/net/core/rmem_default");

    /**
     * Drops worth a warning: at least this share of the datagrams that arrived meanwhile (a few tenths of a percent
     * happen even on loopback at full speed and cost little) ...
     */
    static final double WARN_SHARE = 0.01;
    /** ... and at least this many. */
    static final long WARN_MIN = 100;

    private final OptionalLong dropsBefore;
    private final OptionalLong receivedBefore;

    private UdpReceiveDrops(OptionalLong dropsBefore, OptionalLong receivedBefore) {
        this.dropsBefore = dropsBefore;
        this.receivedBefore = receivedBefore;
    }

    /** Starts watching; on systems without /proc/net/snmp it never reports anything. */
    public static UdpReceiveDrops start() {
        List<String> snmp = readLines(SNMP);
        return new UdpReceiveDrops(parse(snmp, "RcvbufErrors"), parse(snmp, "InDatagrams"));
    }

    /** One line for the user when enough datagrams were dropped since {@link #start()}, else null. */
    public String warning() {
        List<String> snmp = readLines(SNMP);
        long drops = delta(dropsBefore, parse(snmp, "RcvbufErrors"));
        long received = delta(receivedBefore, parse(snmp, "InDatagrams"));
        if (!worthWarning(drops, received)) {
            return null;
        }
        return describe(drops, received, readText(RMEM_DEFAULT));
    }

    /** What the drops cost: the share of incoming datagrams lost, each one a retransmission and a slowdown. */
    static String describe(long drops, long received, String rmemDefault) {
        return String.format(Locale.ROOT, "the kernel dropped %d of %d incoming UDP packets (%.1f%%) because "
                + "receive buffers were full (net.core.rmem_default = %s bytes): each loss costs the data channel "
                + "a retransmission and a slowdown, most on long paths", drops, drops + received,
                100.0 * drops / (drops + received), rmemDefault == null ? "?" : rmemDefault);
    }

    /** What to do about it (root, Linux). */
    public static String hint() {
        return "raise the default UDP receive buffer: sudo sysctl -w net.core.rmem_max=8388608 "
                + "net.core.rmem_default=8388608";
    }

    static boolean worthWarning(long drops, long received) {
        return drops >= WARN_MIN && drops >= WARN_SHARE * (drops + received);
    }

    private static long delta(OptionalLong before, OptionalLong now) {
        return before.isEmpty() || now.isEmpty() ? 0 : Math.max(0, now.getAsLong() - before.getAsLong());
    }

    /** A column (e.g. RcvbufErrors) of the "Udp:" lines of an snmp file, if present. */
    static OptionalLong parse(List<String> lines, String column) {
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith("Udp:")) {
                continue;
            }
            String[] fields = line.substring(4).trim().split("\\s+");
            if (names == null) {
                names = fields;
                continue;
            }
            for (int i = 0; i < names.length && i < fields.length; i++) {
                if (names[i].equals(column)) {
                    try {
                        return OptionalLong.of(Long.parseLong(fields[i]));
                    } catch (NumberFormatException e) {
                        return OptionalLong.empty();
                    }
                }
            }
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static List<String> readLines(Path snmp) {
        try {
            return Files.readAllLines(snmp);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** (readAllLines, not readString: procfs files report size 0, and JDK 17's readString then reads one byte.) */
    private static String readText(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            return lines.isEmpty() ? null : lines.get(0).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
