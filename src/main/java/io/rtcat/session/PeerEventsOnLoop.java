package io.rtcat.session;

import io.rtcat.peer.ConnectionState;
import io.rtcat.peer.IceCandidate;
import io.rtcat.peer.PeerEvents;
import java.util.concurrent.Executor;

/**
 * Hands each peer event to an actor's loop: libwebrtc calls them on its signaling thread, which must never wait,
 * and the actor's state is touched on its loop only.
 */
final class PeerEventsOnLoop implements PeerEvents {

    private final PeerEvents target;
    private final Executor loop;

    PeerEventsOnLoop(PeerEvents target, Executor loop) {
        this.target = target;
        this.loop = loop;
    }

    @Override
    public void onLocalCandidate(IceCandidate candidate) {
        loop.execute(() -> target.onLocalCandidate(candidate));
    }

    @Override
    public void onGatheringComplete() {
        loop.execute(target::onGatheringComplete);
    }

    @Override
    public void onConnectionState(ConnectionState state) {
        loop.execute(() -> target.onConnectionState(state));
    }

    @Override
    public void onIceState(String state) {
        loop.execute(() -> target.onIceState(state));
    }

    @Override
    public void onIceServerError(String url, int code, String text) {
        loop.execute(() -> target.onIceServerError(url, code, text));
    }
}
