package io.rtcat.session;

import io.rtcat.errors.RtcatException;
import io.rtcat.signaling.SignalMessage;
import java.util.List;

/** The ways a signaling handshake ends early, each as the one-line error (and hint) the user sees. */
final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /** 1001: the server is draining (rtcat signal got SIGTERM), not a network failure. */
    static RtcatException signalingClosed(int code, String reason) {
        return new RtcatException(RtcatException.Kind.UNAVAILABLE, (code == 1001
                ? "the signaling server shut down" : "signaling connection closed")
                + " before the peer connected (" + code + " " + reason + ")");
    }

    static RtcatException refused(SignalMessage error) {
        return new RtcatException(RtcatException.Kind.UNAVAILABLE, "signaling server refused: "
                + error.errorMessage() + (error.code() == null ? "" : " (" + error.code() + ")"));
    }

    /** The peer we were meeting was interrupted and said so ({@code reason} is its text, or null). */
    static RtcatException peerCancelled(String sender, String reason) {
        return new RtcatException(RtcatException.Kind.PEER_CANCELLED, "the " + Handshake.roleOf(sender)
                + " cancelled: " + (reason == null ? "cancelled" : Handshake.printable(reason)));
    }

    static RtcatException peerLeft() {
        return new RtcatException(RtcatException.Kind.UNAVAILABLE, "the peer left before the connection was established");
    }

    static RtcatException notPinned(String fingerprint) {
        return new RtcatException(RtcatException.Kind.FAILED, "the peer's DTLS fingerprint " + fingerprint
                + " is not the pinned one; aborted", "check --fingerprint against what the peer shows");
    }

    /** The connection failed: after ICE connected only DTLS can have failed (a certificate not matching its SDP). */
    static RtcatException connectionFailed(boolean iceConnected) {
        return iceConnected
                ? new RtcatException(RtcatException.Kind.UNAVAILABLE,
                        "the DTLS handshake failed: the peer's certificate does not match its session description",
                        "something between the peers altered the connection; try again")
                : new RtcatException(RtcatException.Kind.UNAVAILABLE, "ICE failed: no candidate pair worked",
                        "both sides behind strict NATs need a TURN server: --ice turn:USER:PASS@HOST");
    }

    /** A STUN/TURN server's error answer, as a timeout or {@link #noCandidates} quotes it. */
    static String iceServerError(String url, int code, String text) {
        return code == 401
                ? "TURN server " + url + " rejected the credentials: " + code + " " + text
                : "ICE server " + url + " failed: " + code + " " + text;
    }

    static RtcatException noCandidates(List<String> iceServerErrors) {
        boolean badCredentials = iceServerErrors.stream().anyMatch(e -> e.contains("rejected the credentials"));
        String cause = iceServerErrors.isEmpty()
                ? "no ICE candidates were gathered (no usable network interface or ICE server)"
                : "no ICE candidates were gathered: " + iceServerErrors.get(0);
        return new RtcatException(RtcatException.Kind.UNAVAILABLE, cause, badCredentials
                ? "check the TURN username and password (turn:USER:PASS@HOST or --ice-user/--ice-pass)"
                : "check that the STUN/TURN servers are reachable from here");
    }
}
