package io.rtcat.diagnostics;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;

/**
 * Opens the check's ping channel on an established connection: unordered, never retransmitted (so a lost ping is
 * a lost ping, not a late one held up behind a retransmission) and negotiated, i.e. created by both sides with the
 * same stream id.
 */
@FunctionalInterface
public interface ChannelOpener {

    /** Creates this side of the channel and returns it once it is open. */
    MessageChannel openUnreliable(String label, int streamId) throws RtcatException;
}
