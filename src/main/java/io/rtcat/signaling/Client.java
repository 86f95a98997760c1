package io.rtcat.signaling;

import java.net.InetAddress;

/**
 * One connected client as the {@link RelayProtocol} sees it: somewhere to queue text, a way to ask for a close,
 * and the address it is counted under. The server's implementation wraps a WebSocket; tests record.
 */
interface Client extends Rooms.Member {

    /** Queues text for the client; must not block or throw. */
    @Override
    void deliver(String text);

    /** Starts a close handshake with {@code code}; must not block or throw. */
    void requestClose(int code, String reason);

    /** The address the client is counted under (the forwarded-for client behind a trusted proxy), or null. */
    InetAddress ip();
}
