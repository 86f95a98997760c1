package io.rtcat.session;

import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;

/**
 * An established peer connection with its open data channel.
 *
 * @param connectMillis time from the start of the handshake until the channel opened
 */
public record Connection(Peer peer, MessageChannel channel, String remoteUserId, long connectMillis)
        implements AutoCloseable {

    @Override
    public void close() {
        channel.close();
        peer.close();
    }
}
