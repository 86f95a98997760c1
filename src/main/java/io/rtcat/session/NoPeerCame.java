package io.rtcat.session;

import io.rtcat.errors.RtcatException;

/** Nobody came to the room within the handshake's patience: for a waiting server, a reason to wait again. */
public final class NoPeerCame extends RtcatException {

    NoPeerCame(String message) {
        super(Kind.TIMEOUT, message);
    }
}
