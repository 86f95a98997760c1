package io.rtcat.peer;

import io.rtcat.errors.RtcatException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One STUN or TURN server, parsed from the URL forms users type:
 * {@code stun:host[:port]}, {@code turn:[user:pass@]host[:port][?transport=udp|tcp]},
 * {@code turns:[user:pass@]host[:port][?transport=tcp]}. IPv6 hosts go in brackets.
 *
 * <p>Everything is validated here because libwebrtc crashes the JVM on some bad URLs
 * (a {@code turn:} URL without credentials, an {@code http:} URL).
 *
 * @param url the URL as libwebrtc wants it, without credentials
 */
public record IceServerUrl(String scheme, String host, int port, String transport, String username, String password,
        String url) {

    public boolean isTurn() {
        return !scheme.startsWith("stun");
    }

    /** The URL safe to print: no password. */
    @Override
    public String toString() {
        return username == null ? url : url + " (user " + username + ")";
    }

    /**
     * Parses one URL; {@code user}/{@code pass} (from --ice-user/--ice-pass) fill in credentials
     * that the URL itself does not carry.
     */
    public static IceServerUrl parse(String text, String user, String pass) throws RtcatException {
        if (text == null || text.isBlank()) {
            throw bad(text, "empty URL");
        }
        String s = text.trim();
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw bad(text, "missing scheme");
        }
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("stun") && !scheme.equals("stuns") && !scheme.equals("turn") && !scheme.equals("turns")) {
            throw bad(text, "unsupported scheme '" + scheme + "'");
        }
        String rest = s.substring(colon + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String urlUser = null;
        String urlPass = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int sep = userInfo.indexOf(':');
            if (sep < 0) {
                throw bad(text, "credentials must be user:password@");
            }
            try {
                urlUser = decode(userInfo.substring(0, sep));
                urlPass = decode(userInfo.substring(sep + 1));
            } catch (IllegalArgumentException e) {
                throw bad(text, "invalid %-escape in the credentials");
            }
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            if (end < 0) {
                throw bad(text, "unclosed '[' in IPv6 address");
            }
            host = rest.substring(0, end + 1);
            String after = rest.substring(end + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw bad(text, "unexpected '" + after + "' after address");
            }
        } else {
            int pc = rest.lastIndexOf(':');
            if (pc >= 0) {
                host = rest.substring(0, pc);
                portText = rest.substring(pc + 1);
            } else {
                host = rest;
            }
            if (host.contains(":")) {
                throw bad(text, "IPv6 addresses must be in brackets, e.g. stun:[2001:db8::1]:3478");
            }
        }
        if (host.isEmpty() || host.equals("[]")) {
            throw bad(text, "missing host");
        }
        if (!host.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+")) {
            throw bad(text, "invalid host '" + host + "'");
        }
        boolean secure = scheme.endsWith("s");
        int port = secure ? 5349 : 3478;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw bad(text, "port '" + portText + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw bad(text, "port " + port + " is outside 1-65535");
            }
        }
        String transport = null;
        if (query != null && !query.isEmpty()) {
            for (String param : query.split("&")) {
                String[] kv = param.split("=", 2);
                if (kv.length != 2 || !kv[0].equalsIgnoreCase("transport")) {
                    throw bad(text, "unknown parameter '" + param + "' (only transport=udp|tcp)");
                }
                transport = kv[1].toLowerCase(Locale.ROOT);
                if (!transport.equals("udp") && !transport.equals("tcp")) {
                    throw bad(text, "transport must be udp or tcp, not '" + kv[1] + "'");
                }
            }
        }
        if (!scheme.startsWith("turn") && transport != null) {
            throw bad(text, "transport applies to turn: and turns: only");
        }
        if (scheme.equals("turns") && "udp".equals(transport)) {
            throw bad(text, "turns: runs over TLS, so transport must be tcp");
        }
        String username = null;
        String password = null;
        if (scheme.startsWith("turn")) {
            username = urlUser != null ? urlUser : user;
            password = urlPass != null ? urlPass : pass;
            if (username == null || password == null) {
                throw new RtcatException(RtcatException.Kind.USAGE,
                        "invalid ICE server URL " + redact(text) + ": TURN needs a username and password",
                        "use turn:USER:PASS@host:port or --ice-user/--ice-pass");
            }
        } else if (urlUser != null) {
            throw bad(text, "STUN servers take no credentials");
        }
        String canonical = scheme + ":" + host + ":" + port + (transport == null ? "" : "?transport=" + transport);
        return new IceServerUrl(scheme, host, port, transport, username, password, canonical);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static RtcatException bad(String text, String why) {
        return new RtcatException(RtcatException.Kind.USAGE, "invalid ICE server URL " + redact(text) + ": " + why,
                "expected stun:HOST[:PORT], turn:USER:PASS@HOST[:PORT][?transport=udp|tcp] or turns:...");
    }

    /** Hides a password typed in the URL so that it never reaches logs or error output. */
    static String redact(String text) {
        if (text == null) {
            return "''";
        }
        int colon = text.indexOf(':');
        int at = text.lastIndexOf('@');
        if (colon < 0 || at < colon) {
            return "'" + text + "'";
        }
        String userInfo = text.substring(colon + 1, at);
        int sep = userInfo.indexOf(':');
        String shown = sep < 0 ? "***" : userInfo.substring(0, sep) + ":***";
        return "'" + text.substring(0, colon + 1) + shown + text.substring(at) + "'";
    }
}
