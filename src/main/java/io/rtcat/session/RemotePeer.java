package io.rtcat.session;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.signaling.SignalingClient;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A connection to a peer in another process or on another machine, met through a signaling server:
 * the sender's embedded one or an external {@code ws(s)://} server. Owns the signaling connection,
 * which stays open while the data flows (late candidates still trickle through it).
 */
public final class RemotePeer implements AutoCloseable {

    private final AutoCloseable meetingPlace;
    private final Connection connection;
    private final PeerConfig config;

    private RemotePeer(AutoCloseable meetingPlace, Connection connection, PeerConfig config) {
        this.meetingPlace = meetingPlace;
        this.connection = connection;
        this.config = config;
    }

    /**
     * A connection met some other way than through a signaling room (a tracker, say).
     *
     * @param meetingPlace closed with the connection (e.g. tracker sockets kept for late messages), or null
     */
    public static RemotePeer of(Connection connection, PeerConfig config, AutoCloseable meetingPlace) {
        return new RemotePeer(meetingPlace, connection, config);
    }

    /**
     * @param fingerprint receives our own DTLS fingerprint in plain rooms, for the user to pass on
     */
    public static RemotePeer connect(PeerEngine engine, PeerConfig config, ChannelOptions channel, HandshakeOptions meeting,
            Role role, Consumer<String> progress, Consumer<String> fingerprint) throws RtcatException {
        long start = System.nanoTime();
        SignalingClient signaling = SignalingClient.connect(meeting.signaling(), meeting.timeout());
        try {
            Handshake handshake = new Handshake(signaling, role, meeting, progress, fingerprint);
            String prefix = meeting.userPrefix() != null ? meeting.userPrefix() : role == Role.OFFERER ? "send" : "receive";
            String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
            Connection connection = handshake.connect(engine, config, channel, user, start);
            return new RemotePeer(signaling, connection, handshake.effectiveConfig());
        } catch (RtcatException | RuntimeException e) {
            signaling.close();
            throw e;
        }
    }

    public Connection connection() {
        return connection;
    }

    /** The peer's config, including ICE servers the signaling server handed out (for further peers, stripes). */
    public PeerConfig config() {
        return config;
    }

    @Override
    public void close() {
        connection.close();
        if (meetingPlace != null) {
            try {
                meetingPlace.close();
            } catch (Exception ignored) {
                // closing is best effort: the connection is already down
            }
        }
    }
}
