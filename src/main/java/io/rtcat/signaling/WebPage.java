package io.rtcat.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The browser page that {@code rtcat signal} serves next to its WebSocket: a fixed set of files shipped in the
 * jar (under {@code /web/}), answered to plain HTTP requests on the signaling port. Only the listed paths exist,
 * so no request can name any other file; everything else is 404.
 *
 * <p>Each answer is a complete HTTP/1.1 response with {@code Connection: close}, a strict Content-Security-Policy
 * (scripts, styles and connections only from this origin, no inline code, no framing) and no caching, so a
 * restarted server never leaves an old page talking to a new protocol.
 */
public final class WebPage {

    /** Scripts and styles from this origin only; 'self' also admits the WebSocket on the same host and port. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private record Asset(String resource, String contentType) {}

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", new Asset("index.html", "text/html; charset=utf-8"),
            "/index.html", new Asset("index.html", "text/html; charset=utf-8"),
            "/rtcat.css", new Asset("rtcat.css", "text/css; charset=utf-8"),
            "/pake.js", new Asset("pake.js", "text/javascript; charset=utf-8"),
            "/transfer.js", new Asset("transfer.js", "text/javascript; charset=utf-8"),
            "/app.js", new Asset("app.js", "text/javascript; charset=utf-8"));

    private final Map<String, byte[]> bodies;

    private WebPage(Map<String, byte[]> bodies) {
        this.bodies = bodies;
    }

    /** Loads the page's files from the jar. */
    public static WebPage load() {
        Map<String, byte[]> bodies = new java.util.HashMap<>();
        for (Asset a : ASSETS.values()) {
            bodies.computeIfAbsent(a.resource(), WebPage::read);
        }
        return new WebPage(Map.copyOf(bodies));
    }

    private static byte[] read(String name) {
        try (InputStream in = WebPage.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the web page file /web/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web page file /web/" + name, e);
        }
    }

    /**
     * The whole response to one request.
     *
     * @param method the request method, e.g. {@code GET}
     * @param target the request target, e.g. {@code /app.js?v=1}; the query is ignored
     */
    public byte[] respond(String method, String target) {
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            return response(405, "Method Not Allowed", "text/plain; charset=utf-8",
                    "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8), false, "Allow: GET, HEAD\r\n");
        }
        String path = target == null ? "" : target;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        Asset asset = ASSETS.get(path);
        if (asset == null) {
            return notFound(head);
        }
        return response(200, "OK", asset.contentType(), bodies.get(asset.resource()), head, "");
    }

    /** A response for a request this server cannot read (e.g. a header block that is too large). */
    public static byte[] badRequest(int status, String reason) {
        return response(status, reason, "text/plain; charset=utf-8",
                (reason.toLowerCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8), false, "");
    }

    private static byte[] notFound(boolean head) {
        return response(404, "Not Found", "text/plain; charset=utf-8",
                "not found\n".getBytes(StandardCharsets.UTF_8), head, "");
    }

    private static byte[] response(int status, String reason, String contentType, byte[] body, boolean head,
            String extraHeaders) {
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Content-Security-Policy: " + CONTENT_SECURITY_POLICY + "\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "Referrer-Policy: no-referrer\r\n"
                + "Cache-Control: no-store\r\n"
                + extraHeaders
                + "Connection: close\r\n\r\n";
        byte[] h = headers.getBytes(StandardCharsets.US_ASCII);
        if (head) {
            return h;
        }
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }
}
