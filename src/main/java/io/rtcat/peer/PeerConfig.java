package io.rtcat.peer;

import io.rtcat.errors.RtcatException;
import java.util.List;

/**
 * How a peer connection gathers candidates.
 *
 * @param iceServers STUN/TURN servers
 * @param relayOnly  use TURN relays only (iceTransportPolicy=relay)
 * @param minPort    lowest local UDP port, 0 for any
 * @param maxPort    highest local UDP port, 0 for any
 * @param ipv6       keep IPv6 candidates (libwebrtc ignores its own IPv6 switch, so rtcat filters them)
 * @param highWatermark bytes a data channel may queue before senders wait; 4 MiB measured best
 */
public record PeerConfig(List<IceServerUrl> iceServers, boolean relayOnly, int minPort, int maxPort, boolean ipv6,
        long highWatermark) {

    public static final long DEFAULT_HIGH_WATERMARK = 4L * 1024 * 1024;
    /** libwebrtc closes a channel whose queue passes 16 MiB; keep room for one more message. */
    public static final long MAX_HIGH_WATERMARK = 8L * 1024 * 1024;

    public PeerConfig {
        iceServers = List.copyOf(iceServers);
    }

    public static PeerConfig defaults() {
        return new PeerConfig(List.of(), false, 0, 0, false, DEFAULT_HIGH_WATERMARK);
    }

    /** This config with {@code more} servers after its own (e.g. TURN credentials from the signaling server). */
    public PeerConfig withMoreIceServers(List<IceServerUrl> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<IceServerUrl> all = new java.util.ArrayList<>(iceServers);
        all.addAll(more);
        return new PeerConfig(all, relayOnly, minPort, maxPort, ipv6, highWatermark);
    }

    /** {@link #validate()} except that --relay-only may still wait for a TURN server from the signaling server. */
    public void validateExceptRelayServer() throws RtcatException {
        new PeerConfig(iceServers, false, minPort, maxPort, ipv6, highWatermark).validate();
    }

    /** Checks combinations that libwebrtc would otherwise reject late (or silently). */
    public void validate() throws RtcatException {
        if (relayOnly && iceServers.stream().noneMatch(IceServerUrl::isTurn)) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--relay-only needs a TURN server",
                    "add --ice turn:USER:PASS@HOST:PORT, or use a signaling server that hands out TURN credentials "
                            + "(rtcat signal --turn-secret-file)");
        }
        if (highWatermark < 64 * 1024 || highWatermark > MAX_HIGH_WATERMARK) {
            throw new RtcatException(RtcatException.Kind.USAGE, "the send watermark must be 64K-8M, not "
                    + highWatermark + " bytes");
        }
        if ((minPort == 0) != (maxPort == 0)) {
            throw new RtcatException(RtcatException.Kind.USAGE, "a port range needs both ends, e.g. 40000-40100");
        }
        if (minPort != 0 && (minPort < 1024 || maxPort > 65535 || minPort > maxPort)) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "invalid port range " + minPort + "-" + maxPort + ": expected LOW-HIGH within 1024-65535");
        }
    }
}
