package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebPageTest {

    private static final WebPage PAGE = WebPage.load();

    private static String get(String method, String target) {
        return new String(PAGE.respond(method, target), StandardCharsets.UTF_8);
    }

    @Test
    void servesThePageAndItsScriptsWithTheirTypesAndAStrictPolicy() {
        String index = get("GET", "/");
        assertTrue(index.startsWith("HTTP/1.1 200 OK\r\n"), index);
        assertTrue(index.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"), index);
        assertTrue(index.contains("\r\nContent-Security-Policy: default-src 'none'; script-src 'self';"), index);
        assertTrue(index.contains("\r\nX-Content-Type-Options: nosniff\r\n"), index);
        assertTrue(index.contains("\r\nConnection: close\r\n\r\n<!doctype html>"), index);
        assertTrue(index.contains("<script src=\"app.js\"></script>"), index);
        for (String js : new String[] {"/app.js", "/pake.js", "/transfer.js?v=2"}) {
            assertTrue(get("GET", js).contains("\r\nContent-Type: text/javascript; charset=utf-8\r\n"), js);
        }
        assertTrue(get("GET", "/rtcat.css").contains("\r\nContent-Type: text/css; charset=utf-8\r\n"));
    }

    @Test
    void contentLengthCountsBytesAndHeadSendsNoBody() {
        byte[] whole = PAGE.respond("GET", "/pake.js");
        byte[] head = PAGE.respond("HEAD", "/pake.js");
        String headers = new String(head, StandardCharsets.US_ASCII);
        int length = Integer.parseInt(headers.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1"));
        assertEquals(whole.length, head.length + length);
        assertTrue(headers.endsWith("\r\n\r\n"));
    }

    @Test
    void onlyTheListedFilesExist() {
        for (String target : new String[] {"/../pom.xml", "/web/app.js", "/%2e%2e/etc/passwd", "//app.js",
                "/app.js/", "/APP.JS", "/metrics", "", "*"}) {
            String r = get("GET", target);
            assertTrue(r.startsWith("HTTP/1.1 404 Not Found\r\n"), target + ": " + r);
            assertFalse(r.contains("rtcat"), target);
        }
        assertTrue(get("POST", "/").startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
        assertTrue(get("POST", "/").contains("\r\nAllow: GET, HEAD\r\n"));
    }

    @Test
    void theStatusOfAnAnswerIsReadFromItsFirstLine() {
        assertEquals(200, PageServingFactory.Connection.status(PAGE.respond("GET", "/")));
        assertEquals(404, PageServingFactory.Connection.status(PAGE.respond("GET", "/nope")));
        assertEquals(431, PageServingFactory.Connection.status(WebPage.badRequest(431, "Request Header Fields Too Large")));
    }

    @Test
    void aHeaderBlockEndsAtTheFirstBlankLineAndUpgradesAreRecognised() {
        byte[] req = "GET / HTTP/1.1\r\nHost: x\r\n\r\nrest".getBytes(StandardCharsets.US_ASCII);
        assertEquals(req.length - 4, PageServingFactory.Connection.headerEnd(req));
        assertEquals(-1, PageServingFactory.Connection.headerEnd("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(
                StandardCharsets.US_ASCII)));
        assertTrue(PageServingFactory.Connection.isUpgrade("GET / HTTP/1.1\r\nHost: x\r\nupgrade:  websocket"));
        assertFalse(PageServingFactory.Connection.isUpgrade("GET / HTTP/1.1\r\nHost: x\r\nX-Upgrade: websocket"));
        assertFalse(PageServingFactory.Connection.isUpgrade("GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c"));
    }
}
