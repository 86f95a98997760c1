package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;

/**
 * A receiver-side failure that the peer should hear about: carries the protocol error code and a
 * message safe to send (no local absolute paths).
 */
final class TransferFailure extends RtcatException {

    private final String code;
    private final String peerMessage;

    TransferFailure(Kind kind, String code, String message, String peerMessage, String hint) {
        super(kind, message, hint);
        this.code = code;
        this.peerMessage = peerMessage;
    }

    /** Wraps an exception from elsewhere (e.g. {@link SafeName}) with a code, reusing its message. */
    static TransferFailure of(String code, RtcatException e) {
        return new TransferFailure(e.kind(), code, e.getMessage(), e.getMessage(), e.hint());
    }

    String code() {
        return code;
    }

    String peerMessage() {
        return peerMessage;
    }
}
