package io.rtcat.session;

import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ways to meet a peer when the user typed only a code: which {@link Rendezvous} to race, built from the
 * {@link RendezvousSettings}. Trackers (internet) get the peer config with the public STUN defaults; the LAN
 * and signaling servers the user's own ICE servers only.
 */
public final class MeetByCode {

    /**
     * @param engine          the peer factory
     * @param config          the user's ICE config (flags, environment, config file), without public defaults
     * @param internetConfig  {@code config} plus the public STUN servers when nothing was configured
     * @param settings        trackers and the default signaling server
     */
    public record Context(PeerEngine engine, PeerConfig config, PeerConfig internetConfig, ChannelOptions channel,
            RendezvousSettings settings, Duration timeout, Consumer<String> progress) {
    }

    private MeetByCode() {
    }

    /** The receiving side: a default signaling server, the LAN, the trackers. */
    public static List<Rendezvous> forReceiver(Context c, String nameplate, String secret) {
        return toFind(c, nameplate, secret, Role.ANSWERER, null);
    }

    /**
     * The side that looks for a waiting peer (a receiver its sender, a checker its responder): a default
     * signaling server (RTCAT_SIGNAL, the config file), the LAN, the trackers.
     *
     * @param userPrefix how this side is named in signaling rooms, or null for the role's default
     */
    public static List<Rendezvous> toFind(Context c, String nameplate, String secret, Role role, String userPrefix) {
        List<Rendezvous> ways = new ArrayList<>();
        if (c.settings().signal() != null) {
            URI uri = c.settings().signal();
            ways.add(new SignalingRendezvous("the signaling server " + uri + " (" + c.settings().signalFrom() + ")",
                    c.engine(), c.config(), c.channel(), new HandshakeOptions(uri, nameplate, secret, c.timeout(),
                    false, null, null, userPrefix), role, c.progress(), fp -> { }));
        }
        ways.add(new LanRendezvous(c.engine(), c.config(), c.channel(), nameplate, secret, c.timeout(), role,
                userPrefix, c.progress()));
        ways.addAll(trackers(c, nameplate, secret, role));
        return ways;
    }

    /**
     * Tracker rendezvous for the configured trackers (none when none are configured). The waiting side (a sender,
     * a responder) adds these to its own embedded signaling server, which LAN peers reach.
     */
    public static List<Rendezvous> trackers(Context c, String nameplate, String secret, Role role) {
        List<URI> trackers = c.settings().trackers();
        if (trackers.isEmpty()) {
            return List.of();
        }
        return List.of(TrackerRendezvous.create(c.engine(), c.internetConfig(), c.channel(), trackers, nameplate,
                secret, role, c.timeout(), c.progress()));
    }
}
