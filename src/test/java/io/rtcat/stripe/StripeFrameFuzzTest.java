package io.rtcat.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.peer.MessageChannel;
import io.rtcat.testing.InMemoryChannelPair;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of stripe frames from a hostile peer: whatever arrives, the striped channel delivers
 * in-sequence frames or closes with a reason, and never throws into the stripe's callback. Fewer tries than the
 * parser properties: each builds a channel pair.
 */
class StripeFrameFuzzTest {

    @Property(tries = 300)
    void anyFramesAreDeliveredInOrderOrCloseTheChannel(@ForAll @Size(max = 12) List<@Size(max = 24) byte[]> frames)
            throws Exception {
        InMemoryChannelPair raw = new InMemoryChannelPair();
        try {
            StripedChannel receiver = new StripedChannel(List.of(raw.b()));
            List<String> events = new CopyOnWriteArrayList<>();
            CountDownLatch closed = new CountDownLatch(1);
            receiver.setListener(new MessageChannel.Listener() {
                @Override
                public void onText(String text) {
                    events.add("text");
                }

                @Override
                public void onBinary(byte[] data) {
                    events.add("binary");
                }

                @Override
                public void onClosed(String reason) {
                    events.add("closed:" + reason);
                    closed.countDown();
                }
            });
            try {
                for (byte[] f : frames) {
                    raw.a().sendBinary(ByteBuffer.wrap(f));
                }
            } catch (java.io.IOException closedByTheReceiver) {
                // it refused a frame and closed the stripe: what we check below
            }
            raw.a().close(); // arrives after the frames: the striped channel then closes, if it has not yet
            assertTrue(closed.await(10, TimeUnit.SECONDS), events::toString);
            int closes = 0;
            for (String e : events) {
                closes += e.startsWith("closed:") ? 1 : 0;
            }
            assertEquals(1, closes, events::toString);
            if (closes == 1) {
                assertTrue(events.get(events.size() - 1).startsWith("closed:"), events::toString);
            }
            assertEquals(List.of(), raw.listenerFailures(), "no exception may escape into the stripe");
        } finally {
            raw.close();
        }
    }
}
