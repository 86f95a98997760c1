package io.rtcat.diagnostics;

import io.rtcat.peer.IceServerUrl;

/** Turns {@code icecandidateerror} codes into one plain sentence, a hint and the --expect failure kind. */
public final class ErrorTranslator {

    private ErrorTranslator() {
    }

    /**
     * @param server the server the error belongs to (decides STUN vs TURN wording), or null if unknown
     * @param url    the URL libwebrtc reported (shown when {@code server} is null)
     */
    public static ServerError translate(IceServerUrl server, String url, int code, String text, long elapsedMillis) {
        boolean turn = server != null ? server.isTurn() : url != null && url.startsWith("turn");
        String name = server != null ? server.url() : url;
        String what = (turn ? "TURN server " : "STUN server ") + name;
        String transport = server == null ? "udp" : server.scheme().equals("turns") ? "tls"
                : server.transport() != null ? server.transport() : "udp";
        String port = server == null ? "its port" : String.valueOf(server.port());
        ProbeFailure.Kind unreachable = turn ? ProbeFailure.Kind.TURN_UNREACHABLE : ProbeFailure.Kind.STUN_UNREACHABLE;
        String detail = " (" + code + (text == null || text.isBlank() ? "" : ": " + text.trim()) + ")";
        return switch (code) {
            case 401, 441 -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " rejected the credentials: wrong username or password" + detail,
                    "check the TURN username and password (turn:USER:PASS@HOST or --ice-user/--ice-pass) and, "
                            + "for time-limited credentials, that they have not expired",
                    turn ? ProbeFailure.Kind.TURN_AUTH_FAILED : unreachable);
            case 701 -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " is unreachable over " + transport + detail,
                    "check the host name and port, and that a firewall lets " + transport + " to port " + port
                            + " out" + (turn && "udp".equals(transport)
                                    ? "; if UDP is blocked, try ?transport=tcp or turns: on port 443" : ""),
                    unreachable);
            case 403 -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " refused the request (forbidden)" + detail,
                    "the server's policy denies this client or address; check its allowed-peer and quota settings",
                    unreachable);
            case 437, 438 -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " dropped the allocation (allocation mismatch or stale nonce)" + detail,
                    "run the probe again; if it persists, the server or a middlebox is resetting TURN state",
                    unreachable);
            case 442 -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " does not support this relay transport" + detail,
                    "use the transport the server offers (?transport=udp or ?transport=tcp)", unreachable);
            case 486, 508 -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " has no capacity left for another relay (quota or ports exhausted)" + detail,
                    "try again later, or raise the server's user quota and relay port range", unreachable);
            case 300 -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " redirects to another server, which libwebrtc does not follow" + detail,
                    "point --ice at the alternate server the operator gives you", unreachable);
            default -> new ServerError(url, code, text, elapsedMillis,
                    "the " + what + " answered with an error" + detail,
                    code >= 500 && code < 600 ? "the server had an internal error; check its log"
                            : "run with -vv to see libwebrtc's log of the exchange",
                    unreachable);
        };
    }
}
