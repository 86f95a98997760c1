package io.rtcat.signaling;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reverse proxies (nginx, Caddy, a load balancer) whose {@code X-Forwarded-For} header the server believes, so
 * that the per-IP limits count the real clients instead of the proxy. Only a connection that comes from a trusted
 * address is read, and its header is read from the right: the first address that is not itself a trusted proxy is
 * the client (what the nearest proxy saw; anything further left could be made up by the client).
 */
public final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Range(byte[] network, int prefixBits) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            int mask = rest == 0 ? 0 : 0xff << (8 - rest) & 0xff;
            return rest == 0 || (b[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * @param specs literal addresses or CIDR ranges: {@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1},
     *              {@code fd00::/8}; host names are refused (no DNS lookups for a security decision)
     * @throws IllegalArgumentException naming the first spec that is not one
     */
    public static TrustedProxies parse(List<String> specs) {
        List<Range> ranges = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.trim().split("/", 2);
            InetAddress address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + spec);
            }
            int max = address.getAddress().length * 8;
            int bits = max;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("invalid prefix length in " + spec + ": must be 0-" + max);
                }
            }
            ranges.add(new Range(address.getAddress(), bits));
        }
        return new TrustedProxies(ranges);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean trusts(InetAddress a) {
        return a != null && ranges.stream().anyMatch(r -> r.contains(a));
    }

    /**
     * The address to count a connection under: {@code remote} itself unless it is a trusted proxy that forwarded
     * for someone; then the rightmost untrusted address of {@code forwardedFor} (or the leftmost if all are
     * trusted). A malformed entry stops the walk at the last address known good.
     */
    public InetAddress client(InetAddress remote, String forwardedFor) {
        if (!trusts(remote) || forwardedFor == null || forwardedFor.isBlank()) {
            return remote;
        }
        String[] hops = forwardedFor.split(",");
        InetAddress client = remote;
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = literal(hops[i].trim());
            if (hop == null) {
                return client;
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** The address of an IP literal, or null for anything else (never a DNS lookup). */
    private static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (IPV4.matcher(t).matches()) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null; // else the JDK would take it for a host name and look it up
                }
            }
        } else if (!IPV6.matcher(t).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return ranges.size() + " trusted proxy range(s)";
    }
}
