package io.rtcat.session;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How to meet a peer through a signaling room: the same for every attempt (what changes per attempt lives in
 * {@link Attempt}).
 *
 * @param signaling the signaling server, or null when the caller brings its own connection
 * @param room      the signaling room (the code phrase's nameplate, or a plain room name)
 * @param secret    the code phrase to authenticate with (J-PAKE, bound to the DTLS fingerprints), or null for a
 *                  plain, unauthenticated room
 * @param timeout   the connect timeout
 * @param serverInPeer the signaling server lives in the peer's process (`rtcat send`'s embedded one), so losing
 *                  it means losing the peer
 * @param pinnedFingerprint accept only a peer with this DTLS fingerprint ({@code sha-256 AB:CD:...} or just the
 *                  hex; plain rooms), or null
 * @param patience  how long to wait for a peer (its offer, or its PAKE with a code phrase) before the connect
 *                  {@code timeout} starts (a server waiting for clients), or null to count the timeout from the
 *                  start; when nobody comes, the handshake throws {@link NoPeerCame}
 * @param userPrefix how this side is named in the room, e.g. "send" (a random suffix is added), or null for the
 *                  role's default
 */
public record HandshakeOptions(URI signaling, String room, String secret, Duration timeout, boolean serverInPeer,
        String pinnedFingerprint, Duration patience, String userPrefix) {

    public HandshakeOptions(URI signaling, String room, String secret, Duration timeout, boolean serverInPeer,
            String pinnedFingerprint) {
        this(signaling, room, secret, timeout, serverInPeer, pinnedFingerprint, null, null);
    }

    /** The pinned fingerprint's hex ({@code AB:CD:...}, upper case, without the algorithm), or null. */
    String pinnedHex() {
        if (pinnedFingerprint == null) {
            return null;
        }
        String fp = pinnedFingerprint.strip();
        return (fp.contains(" ") ? fp.substring(fp.indexOf(' ') + 1) : fp).toUpperCase(Locale.ROOT);
    }

    /** A plain room on a signaling connection the caller already has (e.g. the in-process loopback). */
    public static HandshakeOptions plain(String room, Duration timeout) {
        return new HandshakeOptions(null, room, null, timeout, false, null);
    }
}
