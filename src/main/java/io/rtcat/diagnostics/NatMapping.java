package io.rtcat.diagnostics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * NAT mapping behaviour, from the server-reflexive addresses two STUN servers report for the same local socket.
 *
 * <p>libwebrtc sends the binding requests for all STUN servers from one shared UDP socket per interface and
 * keeps one srflx candidate per distinct mapped address: two servers that see the same mapping give ONE
 * candidate, and a mapping equal to the host address gives none. Both facts feed the classification below.
 */
public record NatMapping(Result result, String description) {

    public enum Result {
        NO_NAT, ENDPOINT_INDEPENDENT, DEPENDENT, UNKNOWN;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param stunServers    how many STUN servers were probed together
     * @param answered       how many of them answered (srflx, same mapping, or no NAT)
     * @param srflx          the srflx candidates of that shared gathering
     * @param hostAddresses  this machine's host candidate addresses
     */
    public static NatMapping classify(int stunServers, int answered, List<ProbeCandidate> srflx,
            Set<String> hostAddresses) {
        if (stunServers == 0) {
            return new NatMapping(Result.UNKNOWN, "unknown (needs two STUN servers; none given)");
        }
        if (answered == 0) {
            return new NatMapping(Result.UNKNOWN, "unknown (no STUN server answered)");
        }
        if (srflx.isEmpty() || srflx.stream().anyMatch(c -> hostAddresses.contains(c.address()))) {
            return new NatMapping(Result.NO_NAT,
                    "no NAT: the STUN server sees this host's own address, so peers can reach it directly "
                            + "(unless a firewall blocks them)");
        }
        if (stunServers < 2 || answered < 2) {
            return new NatMapping(Result.UNKNOWN, stunServers < 2 ? "unknown (needs two STUN servers)"
                    : "unknown (needs two STUN servers; only one answered)");
        }
        // Group the mapped endpoints by local socket (raddr:rport); without a real raddr assume one socket.
        Map<String, Set<String>> bySocket = new HashMap<>();
        for (ProbeCandidate c : srflx) {
            String socket = c.hasRealRelatedAddress() ? c.relatedEndpoint() : "?";
            bySocket.computeIfAbsent(socket, k -> new HashSet<>()).add(c.endpoint());
        }
        boolean differs = bySocket.values().stream().anyMatch(s -> s.size() > 1);
        if (differs) {
            return new NatMapping(Result.DEPENDENT, "address/port-dependent mapping (symmetric NAT): the two STUN "
                    + "servers saw different public ports for one local socket, so a relay will be needed");
        }
        return new NatMapping(Result.ENDPOINT_INDEPENDENT, "endpoint-independent mapping: both STUN servers saw "
                + "the same public address and port, so a direct connection is likely");
    }
}
