package io.rtcat.diagnostics;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Turns the recorded gatherings into a {@link ProbeReport}. Pure: no native library, no clock. */
public final class ProbeAnalysis {

    private ProbeAnalysis() {
    }

    /**
     * @param host      gathering with no server
     * @param stunGroup one gathering with all STUN servers together (shared socket), null when there are none
     * @param turnRuns  one gathering per TURN server
     */
    public static ProbeReport analyze(List<IceServerUrl> servers, int timeoutSeconds, List<String> expect,
            Gathering host, Gathering stunGroup, Map<IceServerUrl, Gathering> turnRuns) {
        List<IceServerUrl> stuns = servers.stream().filter(s -> !s.isTurn()).toList();
        List<ServerResult> results = new ArrayList<>();
        for (IceServerUrl server : servers) {
            results.add(server.isTurn() ? turnResult(server, turnRuns.get(server))
                    : stunResult(server, stuns, stunGroup));
        }
        Set<String> hostAddresses = host.candidates().stream().map(ProbeCandidate::address)
                .collect(Collectors.toSet());
        List<ProbeCandidate> srflx = stunGroup == null ? List.of()
                : stunGroup.candidates().stream().filter(c -> c.type().equals("srflx")).toList();
        int answered = (int) results.stream().filter(r -> !r.server().isTurn() && r.status().answered()).count();
        NatMapping mapping = NatMapping.classify(stuns.size(), answered, srflx, hostAddresses);

        Set<String> types = new TreeSet<>();
        host.candidates().forEach(c -> types.add(c.type()));
        if (stunGroup != null) {
            stunGroup.candidates().forEach(c -> types.add(c.type()));
        }
        turnRuns.values().forEach(g -> g.candidates().forEach(c -> types.add(c.type())));
        if (results.stream().anyMatch(r -> r.status() == ServerResult.Status.NO_NAT)) {
            types.add("srflx"); // the host address is its own server-reflexive address
        }

        List<ProbeFailure> failures = new ArrayList<>();
        if (!expect.isEmpty()) {
            failures.addAll(evaluate(expect, results, types, host, stunGroup, turnRuns));
        }
        return new ProbeReport(timeoutSeconds, host, results, mapping, types, List.copyOf(expect), failures);
    }

    /**
     * With --expect every listed server must answer and every expected type must appear; gatherings that did not
     * complete count as a timeout only when nothing more specific failed.
     */
    static List<ProbeFailure> evaluate(List<String> expect, List<ServerResult> results, Set<String> types,
            Gathering host, Gathering stunGroup, Map<IceServerUrl, Gathering> turnRuns) {
        List<ProbeFailure> failures = new ArrayList<>();
        for (ServerResult r : results) {
            if (r.status().answered()) {
                continue;
            }
            ProbeFailure.Kind kind = r.status() == ServerResult.Status.AUTH_FAILED ? ProbeFailure.Kind.TURN_AUTH_FAILED
                    : r.server().isTurn() ? ProbeFailure.Kind.TURN_UNREACHABLE : ProbeFailure.Kind.STUN_UNREACHABLE;
            String hint = r.errors().isEmpty() ? (r.server().isTurn()
                    ? "check the host, port and transport, and that a firewall lets them through"
                    : "check the host and port, and that outgoing UDP to it is allowed")
                    : r.errors().get(0).hint();
            failures.add(new ProbeFailure(kind, r.summary(), hint));
        }
        for (String type : expect) {
            if (!types.contains(type)) {
                failures.add(new ProbeFailure(ProbeFailure.Kind.MISSING_TYPE,
                        "expected a " + type + " candidate but none was gathered", missingHint(type, results)));
            }
        }
        boolean incomplete = !host.complete() || (stunGroup != null && !stunGroup.complete())
                || turnRuns.values().stream().anyMatch(g -> !g.complete());
        if (incomplete) {
            failures.add(new ProbeFailure(ProbeFailure.Kind.TIMED_OUT,
                    "candidate gathering did not complete within the timeout",
                    "raise --timeout; a slow or lossy network can delay STUN and TURN answers"));
        }
        return failures;
    }

    private static String missingHint(String type, List<ServerResult> results) {
        return switch (type) {
            case "host" -> "this machine has no usable network interface (loopback is never used)";
            case "srflx" -> results.stream().noneMatch(r -> !r.server().isTurn()) ? "add --ice stun:HOST[:PORT]"
                    : results.stream().anyMatch(r -> !r.server().isTurn() && r.status().answered())
                    ? "the STUN servers answered without a public address"
                    : "no STUN server answered: check the hosts and ports, and that outgoing UDP is allowed";
            case "relay" -> results.stream().anyMatch(r -> r.server().isTurn())
                    ? "no TURN server gave a relay" : "add --ice turn:USER:PASS@HOST[:PORT]";
            default -> null;
        };
    }

    /** Parses {@code --expect host,srflx,relay}; null or blank means no expectation. */
    public static List<String> parseExpect(String text) throws RtcatException {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Set<String> types = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String t = part.trim().toLowerCase(Locale.ROOT);
            if (!t.equals("host") && !t.equals("srflx") && !t.equals("relay")) {
                throw new RtcatException(RtcatException.Kind.USAGE,
                        "invalid --expect '" + text + "': unknown candidate type '" + part.trim() + "'",
                        "use a comma-separated list of host, srflx and relay, e.g. --expect host,srflx,relay");
            }
            types.add(t);
        }
        return List.copyOf(types);
    }

    // ---- per-server results ----

    private static ServerResult stunResult(IceServerUrl server, List<IceServerUrl> stuns, Gathering group) {
        List<ProbeCandidate> mine = group.candidates().stream()
                .filter(c -> c.type().equals("srflx") && (stuns.size() == 1 && c.serverUrl() == null
                        || sameServer(server, c.serverUrl())))
                .toList();
        List<ServerError> errors = distinct(group.errors()).stream()
                .filter(e -> stuns.size() == 1 || sameServer(server, e.url()))
                .map(e -> ErrorTranslator.translate(server, e.url(), e.code(), e.text(), e.elapsedMillis()))
                .toList();
        Long first = mine.stream().map(ProbeCandidate::elapsedMillis).min(Long::compare).orElse(null);
        ServerResult.Status status;
        String summary;
        if (!mine.isEmpty()) {
            status = ServerResult.Status.OK;
            summary = "public address " + mine.stream().map(ProbeCandidate::endpoint).distinct()
                    .collect(Collectors.joining(", "));
        } else if (!errors.isEmpty()) {
            status = ServerResult.Status.UNREACHABLE;
            summary = errors.get(0).sentence();
        } else if (group.complete()) {
            boolean otherSrflx = group.candidates().stream().anyMatch(c -> c.type().equals("srflx"));
            status = otherSrflx ? ServerResult.Status.SAME_MAPPING : ServerResult.Status.NO_NAT;
            summary = otherSrflx ? "answered with the same public address as another STUN server"
                    + " (libwebrtc keeps one candidate per address)"
                    : "answered with this host's own address: no NAT";
        } else {
            status = ServerResult.Status.NO_ANSWER;
            summary = "the STUN server " + server.url() + " did not answer within the timeout";
        }
        return new ServerResult(server, status, summary, mine, errors, first, group.completeMillis());
    }

    private static ServerResult turnResult(IceServerUrl server, Gathering g) {
        List<ServerError> errors = distinct(g.errors()).stream()
                .map(e -> ErrorTranslator.translate(server, e.url(), e.code(), e.text(), e.elapsedMillis()))
                .toList();
        List<ProbeCandidate> relays = g.candidates().stream().filter(c -> c.type().equals("relay")).toList();
        Long first = relays.stream().map(ProbeCandidate::elapsedMillis).min(Long::compare).orElse(null);
        ServerResult.Status status;
        String summary;
        String via = server.scheme().equals("turns") ? "tls" : server.transport() == null ? "udp" : server.transport();
        if (!relays.isEmpty()) {
            status = ServerResult.Status.OK;
            summary = "relay " + relays.stream().map(ProbeCandidate::endpoint).distinct()
                    .collect(Collectors.joining(", ")) + " (client to server over " + via + ")";
        } else if (errors.stream().anyMatch(e -> e.failure() == ProbeFailure.Kind.TURN_AUTH_FAILED)) {
            status = ServerResult.Status.AUTH_FAILED;
            summary = errors.stream().filter(e -> e.failure() == ProbeFailure.Kind.TURN_AUTH_FAILED).findFirst()
                    .orElseThrow().sentence();
        } else if (!errors.isEmpty()) {
            status = ServerResult.Status.UNREACHABLE;
            summary = errors.get(0).sentence();
        } else if (g.complete()) {
            status = ServerResult.Status.UNREACHABLE;
            summary = "the TURN server " + server.url() + " gave no relay candidate and no error";
        } else {
            status = ServerResult.Status.NO_ANSWER;
            summary = "the TURN server " + server.url() + " is unreachable: no answer over " + via
                    + " within the timeout";
        }
        // Every candidate of this gathering except host ones comes from this server (srflx: TURN-as-STUN).
        List<ProbeCandidate> mine = g.candidates().stream().filter(c -> !c.type().equals("host")).toList();
        return new ServerResult(server, status, summary, mine, errors, first, g.completeMillis());
    }

    /** libwebrtc reports an error once per local interface; keep the first of each (url, code, text). */
    static List<Gathering.RawError> distinct(List<Gathering.RawError> errors) {
        Map<String, Gathering.RawError> first = new LinkedHashMap<>();
        for (Gathering.RawError e : errors) {
            first.putIfAbsent(e.url() + "\u0000" + e.code() + "\u0000" + e.text(), e);
        }
        return List.copyOf(first.values());
    }

    /** Whether a URL libwebrtc reports names {@code server} (same host and port; scheme and query ignored). */
    static boolean sameServer(IceServerUrl server, String url) {
        if (url == null) {
            return false;
        }
        String s = url.trim();
        int colon = s.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        s = s.substring(colon + 1);
        if (s.startsWith("//")) {
            s = s.substring(2);
        }
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            s = s.substring(at + 1);
        }
        String host;
        int port = scheme.endsWith("s") ? 5349 : 3478;
        int pc = s.lastIndexOf(':');
        if (pc > s.lastIndexOf(']')) {
            host = s.substring(0, pc);
            try {
                port = Integer.parseInt(s.substring(pc + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            host = s;
        }
        return host.equalsIgnoreCase(server.host()) && port == server.port();
    }
}
