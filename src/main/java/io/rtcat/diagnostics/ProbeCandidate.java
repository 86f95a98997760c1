package io.rtcat.diagnostics;

import java.util.Locale;

/**
 * One gathered local candidate, parsed from its {@code candidate:} line.
 *
 * @param type           host, srflx, prflx or relay ("unknown" for a malformed line)
 * @param protocol       udp or tcp (for relay: the relayed transport, always udp; the client-to-TURN leg is the
 *                       server's {@code transport})
 * @param relatedAddress {@code raddr}: for srflx the local socket's address, for relay the mapped address;
 *                       null when absent
 * @param relatedPort    {@code rport}, or null
 * @param serverUrl      the STUN/TURN URL libwebrtc names as the candidate's source; null for host candidates
 * @param elapsedMillis  time from the start of its gathering
 */
public record ProbeCandidate(String type, String protocol, String address, int port, long priority,
        String relatedAddress, Integer relatedPort, String serverUrl, long elapsedMillis) {

    /** Parses {@code candidate:FOUNDATION COMPONENT PROTOCOL PRIORITY ADDRESS PORT typ TYPE [raddr A rport P] ...}. */
    public static ProbeCandidate parse(String line, String serverUrl, long elapsedMillis) {
        String s = line == null ? "" : line.trim();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        String[] f = s.isEmpty() ? new String[0] : s.split("\\s+");
        String protocol = f.length > 2 ? f[2].toLowerCase(Locale.ROOT) : "unknown";
        long priority = f.length > 3 ? parseLong(f[3]) : -1;
        String address = f.length > 4 ? f[4] : "";
        int port = f.length > 5 ? (int) parseLong(f[5]) : -1;
        String type = "unknown";
        String raddr = null;
        Integer rport = null;
        for (int i = 6; i + 1 < f.length; i++) {
            switch (f[i]) {
                case "typ" -> type = f[++i];
                case "raddr" -> raddr = f[++i];
                case "rport" -> {
                    long p = parseLong(f[++i]);
                    rport = p < 0 ? null : (int) p;
                }
                default -> {
                    // generation, ufrag, network-id, tcptype...: not reported
                }
            }
        }
        return new ProbeCandidate(type, protocol, address, port, priority, raddr, rport, serverUrl, elapsedMillis);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String endpoint() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** The related address as {@code addr:port}, or null; libwebrtc writes 0.0.0.0:0 when it hides it. */
    public String relatedEndpoint() {
        if (relatedAddress == null || relatedPort == null) {
            return null;
        }
        return (relatedAddress.contains(":") ? "[" + relatedAddress + "]" : relatedAddress) + ":" + relatedPort;
    }

    boolean hasRealRelatedAddress() {
        return relatedAddress != null && relatedPort != null && relatedPort != 0
                && !relatedAddress.equals("0.0.0.0") && !relatedAddress.equals("::");
    }
}
