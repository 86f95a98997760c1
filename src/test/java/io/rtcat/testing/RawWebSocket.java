package io.rtcat.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately minimal WebSocket client on a plain socket, for abusing a server the way a real client
 * library never would: any source address on 127/8, raw frames of any opcode and size, no close handshake.
 * Frames it reads must be unfragmented (the signaling server sends nothing else).
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int OP_TEXT = 1;
    public static final int OP_BINARY = 2;
    public static final int OP_CLOSE = 8;
    public static final int OP_PING = 9;
    /** What {@link #awaitClose} reports when the TCP connection ended without a close frame. */
    public static final int NO_CLOSE_FRAME = 1006;

    /** How the server ended the connection: its close frame's code and reason, or {@link #NO_CLOSE_FRAME}. */
    public record Closed(int code, String reason) {
    }

    /** One frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or 1005 if it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A TCP connection from {@code from} (any port) to 127.0.0.1:{@code port}, nothing sent yet. */
    public static Socket tcp(InetAddress from, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** The request line and headers of an upgrade to {@code target} (e.g. "/?token=..."), ending in CRLF CRLF. */
    public static String upgradeRequest(int port, String target) {
        return upgradeRequest(port, target, "");
    }

    /** Like {@link #upgradeRequest(int, String)} with {@code extraHeaders} ("Name: value\r\n" each) added. */
    public static String upgradeRequest(int port, String target, String extraHeaders) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** Connects from {@code from} and completes the upgrade; fails unless the server answers 101. */
    public static RawWebSocket open(InetAddress from, int port, String target) throws IOException {
        return open(from, port, target, "");
    }

    /** Like {@link #open(InetAddress, int, String)}, sending {@code extraHeaders} with the upgrade. */
    public static RawWebSocket open(InetAddress from, int port, String target, String extraHeaders)
            throws IOException {
        Socket s = tcp(from, port);
        try {
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            RawWebSocket ws = new RawWebSocket(s);
            ws.out.write(upgradeRequest(port, target, extraHeaders).getBytes(StandardCharsets.US_ASCII));
            ws.out.flush();
            String head = ws.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
            }
            return ws;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
            if (head.size() > 16384) {
                throw new IOException("response head too long");
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    public void sendText(String text) throws IOException {
        sendFrame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendFrame(int opcode, byte[] payload) throws IOException {
        writeHeader(opcode, payload.length);
        out.write(payload); // masked with the zero key: unchanged
        out.flush();
    }

    /** One frame announcing {@code length} bytes and then sending them in chunks (the server may hang up meanwhile). */
    public void sendHugeFrame(int opcode, long length) throws IOException {
        writeHeader(opcode, length);
        byte[] chunk = new byte[64 * 1024];
        for (long sent = 0; sent < length; sent += chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, length - sent));
        }
        out.flush();
    }

    /** Header with the zero mask key: the payload goes out as is, which every server must accept. */
    private void writeHeader(int opcode, long length) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(0x80 | opcode);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length <= 0xffff) {
            h.write(0x80 | 126);
            h.write((int) (length >> 8));
            h.write((int) length);
        } else {
            h.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                h.write((int) (length >> (8 * i)));
            }
        }
        h.write(new byte[4]); // mask key 0
        out.write(h.toByteArray());
    }

    /** The next frame, skipping pings; throws SocketTimeoutException after {@code timeout}. */
    public Frame read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        while (true) {
            int b0 = readByte();
            int b1 = readByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
            }
            if (len > 1 << 20) {
                throw new IOException("frame of " + len + " bytes from the server");
            }
            byte[] payload = in.readNBytes((int) len);
            if (payload.length < len) {
                throw new EOFException("connection closed inside a frame");
            }
            int opcode = b0 & 0x0f;
            if (opcode != OP_PING) {
                return new Frame(opcode, payload);
            }
        }
    }

    /** The next text frame's content, skipping pings. */
    public String readText(Duration timeout) throws IOException {
        Frame f = read(timeout);
        if (f.opcode() != OP_TEXT) {
            throw new IOException("expected a text frame, got opcode " + f.opcode()
                    + (f.opcode() == OP_CLOSE ? " (close " + f.closeCode() + ")" : ""));
        }
        return f.text();
    }

    /**
     * Reads until the server closes: the close frame's code and reason, or {@link #NO_CLOSE_FRAME} when the
     * connection ended (EOF or reset) without one. Text frames on the way are skipped.
     */
    public Closed awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("still open after " + timeout);
            }
            try {
                Frame f = read(Duration.ofNanos(left));
                if (f.opcode() == OP_CLOSE) {
                    String reason = f.payload().length > 2
                            ? new String(f.payload(), 2, f.payload().length - 2, StandardCharsets.UTF_8) : "";
                    return new Closed(f.closeCode(), reason);
                }
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException ended) {
                return new Closed(NO_CLOSE_FRAME, "");
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed");
        }
        return b;
    }

    /** Drops the connection with a TCP reset, as a crashed or hostile client would. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Closes the socket with a FIN (no close handshake, no reset). */
    public void closeNormally() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        abort();
    }
}
