package io.rtcat.signaling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeBuilder;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.protocols.IProtocol;

/**
 * The server's RFC 6455 draft: Java-WebSocket's own, except for how the handshake response is written. The
 * library formats its Date header with a new {@code SimpleDateFormat} and {@code Calendar} for every connection;
 * the first of them costs a fresh process some 45 ms (locale data, time zone names), on the path of every
 * loopback's first join, and each later one a formatter's worth of garbage. Here the date comes from
 * {@code java.time}'s UTC fields, and the response names no server software.
 */
final class ServerDraft extends Draft_6455 {

    /** RFC 6455, section 1.3: appended to the client's key before hashing. */
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    ServerDraft(int maxFrameBytes) {
        super(List.of(), maxFrameBytes);
    }

    private ServerDraft(List<IExtension> extensions, List<IProtocol> protocols, int maxFrameBytes) {
        super(extensions, protocols, maxFrameBytes);
    }

    @Override
    public HandshakeBuilder postProcessHandshakeResponseAsServer(ClientHandshake request,
            ServerHandshakeBuilder response) throws InvalidHandshakeException {
        String key = request.getFieldValue("Sec-WebSocket-Key");
        if (key == null || key.isEmpty()) {
            throw new InvalidHandshakeException("missing Sec-WebSocket-Key");
        }
        response.setHttpStatusMessage("Switching Protocols");
        response.put("Upgrade", "websocket");
        response.put("Connection", request.getFieldValue("Connection"));
        response.put("Sec-WebSocket-Accept", acceptKey(key));
        String extension = getExtension().getProvidedExtensionAsServer();
        if (!extension.isEmpty()) {
            response.put("Sec-WebSocket-Extensions", extension);
        }
        IProtocol protocol = getProtocol();
        if (protocol != null && !protocol.getProvidedProtocol().isEmpty()) {
            response.put("Sec-WebSocket-Protocol", protocol.getProvidedProtocol());
        }
        response.put("Date", httpDate(System.currentTimeMillis() / 1000));
        return response;
    }

    /** The library makes one draft per connection from the server's: it must stay a ServerDraft. */
    @Override
    public Draft copyInstance() {
        List<IExtension> extensions = new ArrayList<>();
        for (IExtension e : getKnownExtensions()) {
            extensions.add(e.copyInstance());
        }
        List<IProtocol> protocols = new ArrayList<>();
        for (IProtocol p : getKnownProtocols()) {
            protocols.add(p.copyInstance());
        }
        return new ServerDraft(extensions, protocols, getMaxFrameSize());
    }

    /** Sec-WebSocket-Accept for a client's key: base64 of the SHA-1 of the key and the GUID. */
    static String acceptKey(String clientKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((clientKey.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** HTTP's IMF-fixdate (RFC 9110, section 5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
    static String httpDate(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(29).append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(b, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ')
                .append(t.getYear()).append(' ');
        twoDigits(b, t.getHour()).append(':');
        twoDigits(b, t.getMinute()).append(':');
        return twoDigits(b, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
