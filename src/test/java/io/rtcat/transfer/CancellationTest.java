package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.peer.MessageChannel;
import io.rtcat.testing.InMemoryChannelPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Telling the peer we stop: the cancel goes out, and we do not hang up before the peer has. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellationTest {

    @Test
    void waitsForThePeerToHangUpAfterTheCancelThenReturns() throws Exception {
        try (InMemoryChannelPair pair = new InMemoryChannelPair()) {
            CountDownLatch cancelSeen = new CountDownLatch(1);
            List<String> texts = new CopyOnWriteArrayList<>();
            pair.b().setListener(new MessageChannel.Listener() {
                @Override
                public void onText(String text) {
                    texts.add(text);
                    if (text.contains("\"cancel\"")) {
                        cancelSeen.countDown();
                    }
                }

                @Override
                public void onBinary(byte[] data) {
                }

                @Override
                public void onClosed(String reason) {
                }
            });
            Thread teller = new Thread(() -> Cancellation.tell(pair.a(), ProtocolCodec.SENDER, "interrupted", 20_000));
            teller.start();
            assertTrue(cancelSeen.await(10, TimeUnit.SECONDS), "the cancel arrived");
            teller.join(300);
            assertTrue(teller.isAlive(), "still waiting: the peer has not hung up yet");
            pair.b().close(); // the peer's answer to the cancel
            teller.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(teller.isAlive(), "returned once the peer hung up");
            assertTrue(texts.get(0).contains("\"type\":\"cancel\""), texts.toString());
        }
    }

    @Test
    void aPeerThatNeverHangsUpCostsOnlyTheBoundAndTheInterruptSurvives() throws Exception {
        try (InMemoryChannelPair pair = new InMemoryChannelPair()) {
            pair.b().setListener(new MessageChannel.Listener() {
                @Override
                public void onText(String text) {
                }

                @Override
                public void onBinary(byte[] data) {
                }

                @Override
                public void onClosed(String reason) {
                }
            });
            Thread.currentThread().interrupt(); // as after Ctrl-C
            long start = System.nanoTime();
            Cancellation.awaitHangUp(pair.a(), 300);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(Thread.interrupted(), "the interrupt flag is restored");
            assertTrue(millis >= 300, "waited the bound although interrupted (no busy return): " + millis + " ms");
            assertEquals(true, pair.a().isOpen());
        }
    }
}
