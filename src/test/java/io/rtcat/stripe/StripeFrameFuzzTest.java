package io.rtcat.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.peer.MessageChannel;
import io.rtcat.testing.Fuzz;
import io.rtcat.testing.InMemoryChannelPair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Randomized property tests of stripe frames from a hostile peer: whatever arrives, the striped channel delivers
 * in-sequence frames or closes with a reason, and never throws into the stripe's callback. Fewer tries than the
 * parser properties: each builds a channel pair.
 */
class StripeFrameFuzzTest {

    @Test
    void anyFramesAreDeliveredInOrderOrCloseTheChannel() {
        Fuzz.forAll("stripe.any", 300, Fuzz.lists(Fuzz.bytes(24), 12), StripeFrameFuzzTest::deliveredOrClosed);
    }

    /** Well-formed frames in sequence, some mutated (a bit of the sequence number flipped, cut short, ...). */
    @Test
    void mutatedFrameSequencesAreDeliveredInOrderOrCloseTheChannel() {
        Fuzz.forAll("stripe.mutations", 300, StripeFrameFuzzTest::mutatedSequence,
                StripeFrameFuzzTest::deliveredOrClosed);
    }

    private static List<byte[]> mutatedSequence(SplittableRandom r) {
        int n = r.nextInt(13);
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < n; seq++) {
            byte[] f = new byte[StripedChannel.HEADER + r.nextInt(16)];
            f[0] = r.nextBoolean() ? StripedChannel.TEXT : StripedChannel.BINARY;
            ByteBuffer.wrap(f, 1, 8).putLong(seq);
            for (int i = StripedChannel.HEADER; i < f.length; i++) {
                f[i] = (byte) ('a' + r.nextInt(26));
            }
            frames.add(f);
        }
        Fuzz.Gen<byte[]> mutate = Fuzz.byteMutations(frames);
        for (int i = 0; i < frames.size(); i++) {
            if (r.nextInt(4) == 0) {
                frames.set(i, mutate.next(r));
            }
        }
        if (n > 1 && r.nextInt(4) == 0) { // reordered: a later frame overtakes
            int a = r.nextInt(n);
            frames.add(r.nextInt(n), frames.remove(a));
        }
        return frames;
    }

    private static void deliveredOrClosed(List<byte[]> frames) throws Exception {
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
