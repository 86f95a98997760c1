package io.rtcat.diagnostics;

import io.rtcat.peer.IceServerUrl;
import java.util.List;
import java.util.Map;

/**
 * The one line `rtcat doctor` ends with: the likeliest cause of trouble and what to do, from the probe's
 * per-server results and the NAT's measured behaviour. The first rule that matches wins, worst first.
 *
 * @param ok false when a connection will likely fail (or a server is broken)
 */
public record DoctorVerdict(boolean ok, String text) {

    public static DoctorVerdict of(ProbeReport probe, List<NatBehaviour> nat) {
        return of(probe, nat, Map.of(), Map.of());
    }

    /**
     * @param relayRates    TURN URL to the rate its relay-only data test reached (e.g. "9.1 MB/s")
     * @param relayFailures TURN URL to why its data test failed
     */
    public static DoctorVerdict of(ProbeReport probe, List<NatBehaviour> nat, Map<String, String> relayRates,
            Map<String, String> relayFailures) {
        List<ServerResult> stun = probe.servers().stream().filter(r -> !r.server().isTurn()).toList();
        List<ServerResult> turn = probe.servers().stream().filter(r -> r.server().isTurn()).toList();
        ServerResult relay = turn.stream().filter(r -> r.status() == ServerResult.Status.OK).findFirst().orElse(null);
        for (ServerResult r : turn) {
            if (r.status() == ServerResult.Status.AUTH_FAILED) {
                return new DoctorVerdict(false, "TURN " + r.server().url() + " rejected the credentials: fix the username "
                        + "and password (or the signaling server's TURN secret)");
            }
        }
        if (probe.servers().isEmpty()) {
            return new DoctorVerdict(true, "no STUN or TURN server given: only this machine's addresses were "
                    + "checked; add --ice stun:HOST --ice turn:USER:PASS@HOST");
        }
        if (!stun.isEmpty() && stun.stream().noneMatch(r -> r.status().answered())) {
            ServerResult overTcp = turn.stream().filter(r -> r.status() == ServerResult.Status.OK
                    && !"udp".equals(transport(r.server()))).findFirst().orElse(null);
            if (overTcp != null) {
                String rate = relayRates.get(overTcp.server().url());
                return new DoctorVerdict(true, "UDP looks blocked (no STUN server answered), but TURN over "
                        + transport(overTcp.server()) + " relays" + (rate == null ? "" : " at " + rate) + ": use "
                        + overTcp.server().url());
            }
            return new DoctorVerdict(false, "no STUN server answered: UDP is blocked or the servers are down; "
                    + "add a TURN server over TLS on port 443 (--ice turns:USER:PASS@HOST:443)");
        }
        for (ServerResult r : turn) {
            if (!r.status().answered()) {
                return new DoctorVerdict(false, "TURN " + r.server().url() + " gave no relay: check its host, port and "
                        + "transport, and that a firewall lets them through");
            }
        }
        for (ServerResult r : turn) {
            String why = relayFailures.get(r.server().url());
            if (why != null) {
                return new DoctorVerdict(false, "TURN " + r.server().url() + " allocates but relayed no data ("
                        + why + "): check that it may relay between its own clients (peer address rules)");
            }
        }
        String how = behaviour(probe, nat);
        if (how.equals("symmetric")) {
            return relay != null
                    ? new DoctorVerdict(true, "symmetric NAT: direct connections will mostly fail, but TURN "
                            + relay.server().url() + " relays, so connections will work through it")
                    : new DoctorVerdict(false, "symmetric NAT and no working TURN server: direct connections will "
                            + "mostly fail; add --ice turn:USER:PASS@HOST");
        }
        if (how.equals("no-nat")) {
            return new DoctorVerdict(true, "no NAT: this machine's own address is reachable; direct connections "
                    + "should work");
        }
        if (how.equals("cone")) {
            return new DoctorVerdict(true, "cone NAT (the same public address for every peer): direct "
                    + "connections should work" + (relay != null ? ", and TURN " + relay.server().url() + " relays" : ""));
        }
        return new DoctorVerdict(true, "NAT kind unknown: give two STUN servers, or one with an alternate address "
                + "(coturn with two IPs), to tell a cone from a symmetric NAT");
    }

    /**
     * "symmetric", "cone", "no-nat" or "unknown": measured behaviour first (the worst any server saw), then the
     * probe's comparison of two servers.
     */
    private static String behaviour(ProbeReport probe, List<NatBehaviour> nat) {
        for (String kind : List.of("symmetric", "cone", "no-nat")) {
            for (NatBehaviour b : nat) {
                String seen = switch (b.mapping()) {
                    case ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT -> "symmetric";
                    case ENDPOINT_INDEPENDENT -> "cone";
                    case NO_NAT -> "no-nat";
                    case UNKNOWN -> "unknown";
                };
                if (seen.equals(kind)) {
                    return kind;
                }
            }
        }
        return switch (probe.mapping().result()) {
            case DEPENDENT -> "symmetric";
            case NO_NAT -> "no-nat";
            case ENDPOINT_INDEPENDENT -> "cone";
            case UNKNOWN -> "unknown";
        };
    }

    /** udp, tcp or tls: how the client reaches the server. */
    static String transport(IceServerUrl url) {
        if (url.scheme().equals("turns")) {
            return "tls";
        }
        return url.transport() == null ? "udp" : url.transport();
    }
}
