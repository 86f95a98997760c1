package io.rtcat.peer;

import java.util.concurrent.TimeUnit;

/** Two real peers in one JVM, wired to each other directly (no signaling server). */
final class DirectPair implements AutoCloseable {
    final Peer offerer;
    final Peer answerer;

    DirectPair(PeerConfig config) throws Exception {
        PeerEngine engine = PeerEngine.shared();
        Peer[] holder = new Peer[2];
        offerer = engine.newPeer(config, new PeerEvents() {
            @Override
            public void onLocalCandidate(IceCandidate c) {
                holder[1].addRemoteCandidate(c);
            }
        });
        holder[0] = offerer;
        answerer = engine.newPeer(config, new PeerEvents() {
            @Override
            public void onLocalCandidate(IceCandidate c) {
                holder[0].addRemoteCandidate(c);
            }
        });
        holder[1] = answerer;
    }

    /** Runs offer/answer; call after creating the offerer's channels. */
    void negotiate() throws Exception {
        SessionDescription offer = offerer.createOffer().get(10, TimeUnit.SECONDS);
        SessionDescription answer = answerer.acceptOffer(offer).get(10, TimeUnit.SECONDS);
        offerer.acceptAnswer(answer).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        offerer.close();
        answerer.close();
    }
}
