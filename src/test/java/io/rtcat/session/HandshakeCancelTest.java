package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a signaling "cancel" from the peer being met is worded (the real exchange: InterruptMoreIT). */
class HandshakeCancelTest {

    @Test
    void thePeerIsNamedByItsUserIdPrefix() {
        assertEquals("sender", Handshake.roleOf("send-1a2b3c4d"));
        assertEquals("receiver", Handshake.roleOf("receive-1a2b3c4d"));
        assertEquals("checker", Handshake.roleOf("check-1a2b3c4d"));
        assertEquals("responder", Handshake.roleOf("respond-1a2b3c4d"));
        assertEquals("peer", Handshake.roleOf("browser-1a2b3c4d"));
        assertEquals("peer", Handshake.roleOf("sender"));
    }

    @Test
    void thePeersReasonIsOneShortPrintableLine() {
        assertEquals("interrupted", Handshake.printable("interrupted"));
        assertEquals("bad?[2Jline?two", Handshake.printable("bad\u001b[2Jline\ntwo"));
        assertEquals("x".repeat(100) + "...", Handshake.printable("x".repeat(500)));
    }
}
