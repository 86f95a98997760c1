package io.rtcat.cli;

import java.net.URI;
import java.util.Locale;

/**
 * The link that opens a code in the signaling server's own web page: the same host, port, path and query as the
 * WebSocket address (so a {@code ?token=} still reaches the server), over http(s), with the code after {@code #}.
 * Browsers never send the fragment to the server, so the code stays between the two people.
 */
final class BrowserLink {

    private BrowserLink() {
    }

    /** {@code ws://h:p/} and {@code 7-crossbow-orbit} give {@code http://h:p/#7-crossbow-orbit}; null for other schemes. */
    static String of(URI signal, String code) {
        String scheme = signal.getScheme() == null ? "" : signal.getScheme().toLowerCase(Locale.ROOT);
        String web = switch (scheme) {
            case "ws" -> "http";
            case "wss" -> "https";
            default -> null;
        };
        if (web == null || signal.getRawAuthority() == null) {
            return null;
        }
        String path = signal.getRawPath() == null || signal.getRawPath().isEmpty() ? "/" : signal.getRawPath();
        String query = signal.getRawQuery() == null ? "" : "?" + signal.getRawQuery();
        return web + "://" + signal.getRawAuthority() + path + query + "#" + code;
    }
}
