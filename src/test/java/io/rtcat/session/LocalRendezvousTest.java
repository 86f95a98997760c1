package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.signaling.ServerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalRendezvousTest {

    @Test
    void theInProcessServerWaitsForTheJoinAsLongAsTheCallerWaits() {
        // With the public default (10 s) a 1 MiB loopback under qemu-emulated aarch64 failed: 4410 join timeout.
        assertEquals(120, LocalRendezvous.serverOptions(Duration.ofSeconds(120)).handshakeTimeoutSeconds());
    }

    @Test
    void neverShorterThanThePublicServersDeadline() {
        assertEquals(ServerOptions.DEFAULT_HANDSHAKE_TIMEOUT_SECONDS,
                LocalRendezvous.serverOptions(Duration.ofSeconds(2)).handshakeTimeoutSeconds());
    }
}
