package io.rtcat.peer;

import com.sun.jna.Library;
import com.sun.jna.ptr.IntByReference;
import io.rtcat.errors.Futures;
import io.rtcat.errors.Threads;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stdio.Libc;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Raises the receive buffer of this process's UDP sockets (libwebrtc's ICE sockets) as far as
 * {@code net.core.rmem_max} allows, which needs no privilege, once a connection shows an RTT of 10 ms or more.
 *
 * <p>libwebrtc never sets SO_RCVBUF, so its sockets get {@code net.core.rmem_default} (212992 bytes on Debian,
 * about 90 full-size datagrams once the kernel counts its overhead). On a path with delay a data channel's
 * packets arrive in bursts; when the receiving thread falls behind for a few milliseconds the kernel drops them
 * and SCTP slows down as if the network were lossy. webrtc-java does not expose the sockets, so they are found
 * the way {@code ss -p} does: the socket inodes among {@code /proc/self/fd}, matched against
 * {@code /proc/self/net/udp{,6}}. Linux only; elsewhere (or if JNA cannot load) it does nothing.
 * {@code RTCAT_SOCKET_RCVBUF=0} turns it off (to measure what it does).
 */
public final class SocketReceiveBuffers {

    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    /** Paths with a shorter round trip keep the kernel's default buffer. */
    static final double MIN_RTT_MILLIS = 10;
    /** Asked for at most; the kernel doubles what it grants to account for its bookkeeping. */
    static final int MAX_REQUEST = 8 << 20;

    /** What the last {@link #raise()} did: sockets seen, sockets raised, buffer size the kernel granted. */
    public record Outcome(int sockets, int raised, int bytes) {
        static final Outcome NONE = new Outcome(0, 0, 0);
    }

    private interface LibC extends Library {
        int setsockopt(int fd, int level, int name, IntByReference value, int length);

        int getsockopt(int fd, int level, int name, IntByReference value, IntByReference length);
    }

    private static LibC libc;
    private static boolean unavailable;
    private static volatile Outcome last = Outcome.NONE;

    private SocketReceiveBuffers() {
    }

    /** The outcome of the latest {@link #raise()} in this process. */
    public static Outcome last() {
        return last;
    }

    /** Raises every UDP socket of this process that has less than rmem_max; returns what it did. */
    public static synchronized Outcome raise() {
        if ("0".equals(System.getenv("RTCAT_SOCKET_RCVBUF"))) {
            return Outcome.NONE;
        }
        long rmemMax = readLong(Path.of("/proc/sys/net/core/rmem_max"));
        LibC c = libc();
        if (rmemMax <= 0 || c == null) {
            return Outcome.NONE;
        }
        int request = (int) Math.min(MAX_REQUEST, rmemMax);
        Set<Long> udp = new HashSet<>();
        udp.addAll(udpInodes(readLines(Path.of("/proc/self/net/udp"))));
        udp.addAll(udpInodes(readLines(Path.of("/proc/self/net/udp6"))));
        int sockets = 0;
        int raised = 0;
        int granted = 0;
        for (Map.Entry<Integer, Long> e : socketFds().entrySet()) {
            if (!udp.contains(e.getValue())) {
                continue;
            }
            sockets++;
            int fd = e.getKey();
            int now = get(c, fd);
            if (now < 2 * request && c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, new IntByReference(request), 4) == 0) {
                raised++;
                now = get(c, fd);
            }
            granted = Math.max(granted, now);
        }
        Outcome outcome = new Outcome(sockets, raised, granted);
        last = outcome;
        return outcome;
    }

    /**
     * On a daemon thread (a caller on libwebrtc's signaling thread must never wait): reads the connection's RTT and
     * runs {@link #raise()} if it is at least {@link #MIN_RTT_MILLIS}. Short paths keep the default: their bursts
     * are short, and on a CPU-bound loopback a deeper buffer only lets packets queue (measured slower).
     */
    static void raiseInBackground(Supplier<CompletableFuture<ConnectionStats>> stats) {
        Threads.daemon("rtcat-rcvbuf", () -> {
            try {
                raiseIfLong(stats);
            } catch (RuntimeException | Error e) {
                // the connection closed meanwhile (stats of a closed peer throw): nothing left to raise
            }
        }).start();
    }

    private static void raiseIfLong(Supplier<CompletableFuture<ConnectionStats>> stats) {
        for (int attempt = 0; attempt < 3; attempt++) {
            ConnectionStats s = Futures.poll(stats.get(), TimeUnit.SECONDS.toNanos(2));
            if (s != null && s.rttMillis() != null) {
                if (s.rttMillis() >= MIN_RTT_MILLIS) {
                    raise();
                }
                return;
            }
            try {
                Thread.sleep(500); // bounded: three tries; the RTT shows once the pair has answered a check
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int get(LibC c, int fd) {
        IntByReference value = new IntByReference();
        IntByReference length = new IntByReference(4);
        return c.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, length) == 0 ? value.getValue() : -1;
    }

    private static LibC libc() {
        if (libc == null && !unavailable) {
            try {
                libc = Libc.load(LibC.class);
            } catch (Throwable e) { // UnsatisfiedLinkError and friends: no JNA for this platform
                unavailable = true;
            }
        }
        return libc;
    }

    /** Inodes of the sockets in a /proc/net/udp table (header line first; the inode is the 10th column). */
    static Set<Long> udpInodes(List<String> table) {
        Set<Long> inodes = new HashSet<>();
        for (int i = 1; i < table.size(); i++) {
            String[] f = table.get(i).trim().split("\\s+");
            if (f.length > 9) {
                try {
                    inodes.add(Long.parseLong(f[9]));
                } catch (NumberFormatException ignored) {
                    // not a socket row
                }
            }
        }
        return inodes;
    }

    /** The inode of a {@code socket:[12345]} link target, or -1. */
    static long socketInode(String linkTarget) {
        if (!linkTarget.startsWith("socket:[") || !linkTarget.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(linkTarget.substring(8, linkTarget.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<Integer, Long> socketFds() {
        Map<Integer, Long> fds = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) {
                try {
                    long inode = socketInode(Files.readSymbolicLink(p).toString());
                    if (inode >= 0) {
                        fds.put(Integer.parseInt(p.getFileName().toString()), inode);
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no /proc: not Linux
        }
        return fds;
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static long readLong(Path p) {
        try {
            // Not Files.readString: /proc files report size 0, and it returned a truncated "4" for 4194304.
            return Long.parseLong(Files.readAllLines(p).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
