package io.rtcat.loopback;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.Peer;

/** Hooks into a loopback run's two connected peers: for live stats and the final stats dump. */
public interface PairObserver {

    PairObserver NONE = new PairObserver() { };

    /** Both peers are connected; the transfer starts next. */
    default void connected(Peer sender, Peer receiver) {
    }

    /** The transfer ended ({@code failure} null on success); the peers are still open. */
    default void finishing(Peer sender, Peer receiver, RtcatException failure) throws RtcatException {
    }
}
