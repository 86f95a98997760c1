package io.rtcat.signaling;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Role;
import org.java_websocket.framing.CloseFrame;

/**
 * Lets the signaling port answer plain HTTP too: Java-WebSocket only speaks the WebSocket upgrade (anything else
 * gets its fixed 404), so each connection is a {@link WebSocketImpl} that first reads the request's header block
 * itself. An upgrade request is handed on unchanged (header block and any bytes after it); any other request is
 * answered from {@link WebPage} and the connection closed once the answer is flushed. Wraps the library's (plain
 * or TLS) factory, so {@code wss://} servers serve the page over {@code https://}.
 */
final class PageServingFactory implements WebSocketServerFactory {

    /** Longest header block read before deciding; browsers send well under 2 KiB. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final WebSocketServerFactory delegate;
    private final WebPage page;
    private final IntConsumer answered;
    private final StaleKeySweep staleKeys = new StaleKeySweep();

    /** @param answered told the status of every plain HTTP answer (for the metrics) */
    PageServingFactory(WebSocketServerFactory delegate, WebPage page, IntConsumer answered) {
        this.delegate = delegate;
        this.page = page;
        this.answered = answered;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
        return new Connection(a, List.of(d), page, answered);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
        return new Connection(a, drafts, page, answered);
    }

    /** Plain sockets get a {@link PlainChannel} (direct writes, the stale-key sweep); TLS ones keep the library's. */
    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        ByteChannel wrapped = delegate.wrapChannel(channel, key);
        return wrapped == channel ? new PlainChannel(channel, key, staleKeys) : wrapped;
    }

    /** The sweep of this server's selector; for tests. */
    StaleKeySweep staleKeys() {
        return staleKeys;
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** One accepted socket: HTTP until its header block says WebSocket. */
    static final class Connection extends WebSocketImpl {
        private final WebPage page;
        private final IntConsumer statusListener;
        /** The request head so far (null once it is complete); {@code headLength} bytes of it are used. */
        private byte[] head = new byte[1024];
        private int headLength;
        private volatile boolean answered;

        Connection(WebSocketAdapter listener, List<Draft> drafts, WebPage page, IntConsumer statusListener) {
            super(listener, drafts);
            this.page = page;
            this.statusListener = statusListener;
        }

        @Override
        public void decode(ByteBuffer in) {
            if (head == null) {
                super.decode(in);
                return;
            }
            // Each byte is copied and scanned once: a client that dribbles its head byte by byte costs linear,
            // not quadratic, time (before, every arrival copied and rescanned the whole head).
            int n = in.remaining();
            if (headLength + n > head.length) {
                head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + n));
            }
            in.get(head, headLength, n);
            int scannedUpTo = headLength;
            headLength += n;
            int end = headerEnd(head, Math.max(3, scannedUpTo), headLength);
            if (end < 0) {
                if (headLength > MAX_HEADER_BYTES) {
                    head = null;
                    answer(WebPage.badRequest(431, "Request Header Fields Too Large"));
                }
                return; // wait for the rest (the server's handshake timeout still applies)
            }
            byte[] all = Arrays.copyOf(head, headLength);
            head = null;
            String header = new String(all, 0, end, StandardCharsets.ISO_8859_1);
            if (isUpgrade(header)) {
                super.decode(ByteBuffer.wrap(all));
                return;
            }
            String[] requestLine = header.substring(0, Math.max(0, header.indexOf("\r\n"))).split(" ");
            if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                answer(WebPage.badRequest(400, "Bad Request"));
                return;
            }
            answer(page.respond(requestLine[0], requestLine[1]));
        }

        /** Queues the response; the library flushes it, then closes the socket (no WebSocket close frame). */
        private void answer(byte[] response) {
            answered = true;
            statusListener.accept(status(response));
            outQueue.add(ByteBuffer.wrap(response));
            flushAndClose(CloseFrame.NEVER_CONNECTED, "plain http request answered", false);
        }

        /**
         * The library closes a flushed connection only when it has a server-side draft, which a connection
         * that never did the WebSocket handshake lacks; without this it would stay open until the server's
         * handshake timeout.
         */
        @Override
        public Draft getDraft() {
            Draft d = super.getDraft();
            if (d == null && answered) {
                Draft closing = new Draft_6455();
                closing.setParseMode(Role.SERVER);
                return closing;
            }
            return d;
        }

        /** The status code of a response that starts {@code HTTP/1.1 NNN}. */
        static int status(byte[] response) {
            return (response[9] - '0') * 100 + (response[10] - '0') * 10 + (response[11] - '0');
        }

        /** Index just past the blank line that ends the header block, or -1. */
        static int headerEnd(byte[] b) {
            return headerEnd(b, 3, b.length);
        }

        /** Like {@link #headerEnd(byte[])} for {@code b[0..length)}, looking only at ends from index {@code from}. */
        static int headerEnd(byte[] b, int from, int length) {
            for (int i = Math.max(3, from); i < length; i++) {
                if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        /**
         * An {@code Upgrade} header naming websocket goes to the WebSocket code, which judges the rest. Other
         * upgrades (e.g. HTTP/2's {@code h2c}, which the JDK's client asks for) are ignored, as HTTP/1.1 allows.
         */
        static boolean isUpgrade(String header) {
            for (String line : header.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("upgrade")
                        && line.substring(colon + 1).toLowerCase(Locale.ROOT).contains("websocket")) {
                    return true;
                }
            }
            return false;
        }
    }
}
