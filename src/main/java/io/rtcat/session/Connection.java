package io.rtcat.session;

import io.rtcat.stats.ConnectTimings;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;

/**
 * An established peer connection with its open data channel.
 *
 * @param peer    the peer connection, or null for a bare channel (fakes in tests of what hands connections out)
 * @param timings where the time from the start of the handshake until the channel opened went
 */
public record Connection(Peer peer, MessageChannel channel, String remoteUserId, ConnectTimings timings)
        implements AutoCloseable {

    /** Time from the start of the handshake until the channel opened. */
    public long connectMillis() {
        return timings.totalMillis();
    }

    @Override
    public void close() {
        channel.close();
        if (peer != null) {
            peer.close();
        }
    }
}
