package io.rtcat.signaling;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Who may stay once the WebSocket handshake is done: the shared token (compared in constant time, never
 * logged), a signed join token (which also fixes the one room the connection may join), and the limit on open
 * connections per address; plus which address a connection counts under behind a trusted proxy. Thread-safe.
 */
final class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class.getName());

    /** The decision for one connection: admitted (maybe limited to one room), or closed with a code. */
    record Verdict(boolean admitted, String grantedRoom, int closeCode, String closeReason) {
        static Verdict admit(String grantedRoom) {
            return new Verdict(true, grantedRoom, 0, null);
        }

        static Verdict refuse(int code, String reason) {
            return new Verdict(false, null, code, reason);
        }
    }

    private final ServerOptions opts;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final byte[] tokenHash;
    /** Open, admitted connections per remote address. */
    private final Map<InetAddress, Integer> perIp = new ConcurrentHashMap<>();

    Admission(ServerOptions opts, ServerMetrics metrics, Clock clock) {
        this.opts = opts;
        this.metrics = metrics;
        this.clock = clock;
        this.tokenHash = opts.token() == null ? null : sha256(opts.token());
    }

    /** The address to count: the socket's, or behind a trusted proxy the client it forwarded for. */
    InetAddress clientAddress(InetAddress socketAddress, String forwardedFor) {
        if (opts.trustedProxies().isEmpty()) {
            return socketAddress;
        }
        return opts.trustedProxies().client(socketAddress, forwardedFor);
    }

    /**
     * Token, then per-IP limit. An admitted connection from a known address holds a per-IP slot until
     * {@link #release}.
     *
     * @param resource the request's path and query ({@code /?token=...})
     */
    Verdict admit(InetAddress ip, String resource) {
        String grantedRoom = null;
        if (opts.joinSecret() != null) {
            try {
                grantedRoom = JoinTokens.verify(opts.joinSecret(), tokenParam(resource), clock.instant()).room();
            } catch (JoinTokens.Refused e) {
                LOG.info(() -> "signaling: rejected connection from " + hostOf(ip) + ": " + e.getMessage());
                metrics.rejected(ServerMetrics.UNAUTHORIZED);
                return Verdict.refuse(SignalingProtocol.CLOSE_UNAUTHORIZED, e.getMessage());
            }
        }
        if (tokenHash != null && !tokenMatches(resource)) {
            LOG.info(() -> "signaling: rejected connection from " + hostOf(ip) + ": missing or wrong token");
            metrics.rejected(ServerMetrics.UNAUTHORIZED);
            return Verdict.refuse(SignalingProtocol.CLOSE_UNAUTHORIZED, "unauthorized");
        }
        int limit = opts.maxConnectionsPerIp();
        if (ip != null) {
            boolean[] ok = {false};
            perIp.compute(IpKey.of(ip), (k, v) -> {
                int n = v == null ? 0 : v;
                if (limit > 0 && n >= limit) {
                    return v;
                }
                ok[0] = true;
                return n + 1;
            });
            if (!ok[0]) {
                LOG.info(() -> "signaling: rejected connection from " + hostOf(ip) + ": more than " + limit
                        + " connections from that address");
                metrics.rejected(ServerMetrics.TOO_MANY_CONNECTIONS);
                return Verdict.refuse(SignalingProtocol.CLOSE_TOO_MANY, "too many connections");
            }
        }
        return Verdict.admit(grantedRoom);
    }

    /** Gives back one per-IP slot taken by an admitted connection from {@code ip}. */
    void release(InetAddress ip) {
        if (ip != null) {
            perIp.computeIfPresent(IpKey.of(ip), (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    /** Admitted connections now counted for {@code ip}. */
    int countFor(InetAddress ip) {
        return ip == null ? 0 : perIp.getOrDefault(IpKey.of(ip), 0);
    }

    void clear() {
        perIp.clear();
    }

    boolean requiresToken() {
        return tokenHash != null;
    }

    private boolean tokenMatches(String resource) {
        try {
            return MessageDigest.isEqual(sha256(tokenParam(resource)), tokenHash);
        } catch (JoinTokens.Refused e) {
            return false;
        }
    }

    /** The one {@code token} query parameter of the request, URL-decoded; refused if missing or repeated. */
    static String tokenParam(String resource) throws JoinTokens.Refused {
        int q = resource == null ? -1 : resource.indexOf('?');
        String found = null;
        if (q >= 0) {
            for (String param : resource.substring(q + 1).split("&")) {
                if (!param.startsWith("token=")) {
                    continue;
                }
                if (found != null) {
                    throw new JoinTokens.Refused("two tokens"); // ambiguous, refuse
                }
                try {
                    found = URLDecoder.decode(param.substring("token=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new JoinTokens.Refused("malformed token");
                }
            }
        }
        if (found == null) {
            throw new JoinTokens.Refused("missing token");
        }
        return found;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String hostOf(InetAddress a) {
        return a == null ? "unknown address" : a.getHostAddress();
    }
}
