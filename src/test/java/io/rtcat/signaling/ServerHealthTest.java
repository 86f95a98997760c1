package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerHealthTest {

    private static final long MIB = 1 << 20;

    @Test
    void aHealthyServerIsOk() {
        assertEquals(new ServerHealth.Verdict(true, "ok"), ServerHealth.judge(100 * MIB, 256 * MIB, 0));
    }

    @Test
    void aHeapNearlyFullAfterCollectionIsTrouble() {
        ServerHealth.Verdict v = ServerHealth.judge(240 * MIB, 256 * MIB, 0);
        assertFalse(v.ok());
        assertEquals("heap pressure: 240 of 256 MiB in use after garbage collection", v.detail());
    }

    @Test
    void aMessageStuckInHandlingIsAStalledRelay() {
        ServerHealth.Verdict v = ServerHealth.judge(MIB, 256 * MIB, TimeUnit.SECONDS.toNanos(12));
        assertFalse(v.ok());
        assertEquals("relay stalled: a message has been in handling for 12 s", v.detail());
        assertTrue(ServerHealth.judge(MIB, 256 * MIB, TimeUnit.SECONDS.toNanos(9)).ok());
    }

    @Test
    void aThreadStillHandlingCountsUntilDone() {
        ServerHealth h = new ServerHealth();
        h.handlingStarted();
        assertTrue(h.check().ok(), "just started");
        h.handlingDone();
        assertTrue(h.check().ok());
    }
}
