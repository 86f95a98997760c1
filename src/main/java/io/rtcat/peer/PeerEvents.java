package io.rtcat.peer;

/**
 * What a peer connection reports while it runs. Called on libwebrtc's signaling thread: implementations
 * must return quickly and never wait for another peer callback.
 */
public interface PeerEvents {

    /** A local candidate to trickle to the other side. */
    default void onLocalCandidate(IceCandidate candidate) {
    }

    default void onGatheringComplete() {
    }

    default void onConnectionState(ConnectionState state) {
    }

    /** ICE connection state: new, checking, connected, completed, disconnected, failed or closed. */
    default void onIceState(String state) {
    }

    /** A STUN/TURN server answered with an error (e.g. 401 for bad TURN credentials). */
    default void onIceServerError(String url, int code, String text) {
    }
}
