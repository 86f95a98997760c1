package io.rtcat.signaling;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/** Wraps the library's factory to see every accepted socket, before its handshake. */
final class TrackingFactory implements WebSocketServerFactory {
    /** Called once per accepted socket, with the socket's remote address. */
    interface OnAccept {
        void accepted(WebSocket ws, InetAddress remote);
    }

    private final WebSocketServerFactory delegate;
    private final OnAccept onAccept;

    TrackingFactory(WebSocketServerFactory delegate, OnAccept onAccept) {
        this.delegate = delegate;
        this.onAccept = onAccept;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
        return delegate.createWebSocket(a, d);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
        return delegate.createWebSocket(a, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        if (key.attachment() instanceof WebSocket ws && ws.getAttachment() == null) {
            onAccept.accepted(ws, channel.socket().getInetAddress());
        }
        return delegate.wrapChannel(channel, key);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
