package io.rtcat.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The link that opens a code in the signaling server's own web page: the same host, port, path and query as the
 * WebSocket address (so a {@code ?token=} still reaches the server), over http(s), with the code after {@code #}.
 * Browsers never send the fragment to the server, but the page's script reads it: whoever serves the page (or can
 * alter it on the way, over plain http) can learn the code and take the files. So the link is offered only where
 * the page can be trusted as far as the sender can tell: over https (the server the sender chose), or from the
 * sender's own embedded server at a private (LAN) address; each time with a note that says so.
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

    /** The link when {@link #announcement} offers one (https, or our own server on a private address), else null. */
    static String offered(URI signal, String code, boolean ownServer) {
        String link = of(signal, code);
        if (link == null) {
            return null;
        }
        return link.startsWith("https:") || ownServer && isPrivate(signal.getHost()) ? link : null;
    }

    /**
     * The lines for the sender's announcement: the link and whom it trusts, or why there is no link.
     *
     * @param ownServer the page comes from this rtcat's embedded server (not an external one)
     */
    static String announcement(URI signal, String code, boolean ownServer) {
        String link = of(signal, code);
        if (link == null) {
            return "";
        }
        if (link.startsWith("https:")) {
            return "or, without rtcat, open in a browser:\n  " + link + "\n"
                    + "  (the page and its code come from that server over https: trust it as you trust the server)\n";
        }
        if (ownServer && isPrivate(signal.getHost())) {
            return "or, without rtcat, open in a browser on this network:\n  " + link + "\n"
                    + "  (served by this rtcat over plain http: anyone who can alter traffic on the network in between "
                    + "could take the files)\n";
        }
        return "(no browser link: the page would come over plain http from " + signal.getHost()
                + ", which could serve an altered page that takes the files; use a wss:// server or send on a LAN "
                + "without --signal)\n";
    }

    /** Loopback, link-local, RFC 1918 / unique-local (fc00::/7) or shared (100.64/10) address literals. */
    static boolean isPrivate(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+|[0-9a-fA-F:.%a-zA-Z]*:[0-9a-fA-F:.%a-zA-Z]*")) {
            return false; // a name: only literals can be judged without a lookup
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(h);
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
        byte[] b = a.getAddress();
        boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        boolean shared = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        return a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || uniqueLocal || shared;
    }
}
