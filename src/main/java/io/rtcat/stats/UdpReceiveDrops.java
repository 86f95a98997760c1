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

    private final OptionalLong before;

    private UdpReceiveDrops(OptionalLong before) {
        this.before = before;
    }

    /** Starts watching; on systems without /proc/net/snmp it never reports anything. */
    public static UdpReceiveDrops start() {
        return new UdpReceiveDrops(read(SNMP));
    }

    /** Datagrams dropped for a full receive buffer since {@link #start()}, by any socket in this namespace. */
    public long dropsSinceStart() {
        OptionalLong now = read(SNMP);
        if (before.isEmpty() || now.isEmpty()) {
            return 0;
        }
        return Math.max(0, now.getAsLong() - before.getAsLong());
    }

    /** One line for the user when drops happened, else null. */
    public String warning() {
        long drops = dropsSinceStart();
        if (drops == 0) {
            return null;
        }
        String rmem = readText(RMEM_DEFAULT);
        return String.format(Locale.ROOT, "the kernel dropped %d UDP packets because receive buffers were full "
                + "(net.core.rmem_default = %s bytes); WebRTC slows down sharply when that happens", drops,
                rmem == null ? "?" : rmem);
    }

    /** What to do about it (root, Linux). */
    public static String hint() {
        return "raise the default UDP receive buffer: sudo sysctl -w net.core.rmem_max=8388608 "
                + "net.core.rmem_default=8388608";
    }

    /** The RcvbufErrors column of the "Udp:" lines of an snmp file, if present. */
    static OptionalLong parse(List<String> lines) {
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
                if (names[i].equals("RcvbufErrors")) {
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

    private static OptionalLong read(Path snmp) {
        try {
            return parse(Files.readAllLines(snmp));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
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
