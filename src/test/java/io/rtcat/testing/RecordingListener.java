package io.rtcat.testing;

import io.rtcat.peer.MessageChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records what a channel end receives, for tests that play one side of a protocol by hand. */
public final class RecordingListener implements MessageChannel.Listener {

    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void onText(String text) {
        texts.add(text);
    }

    @Override
    public void onBinary(byte[] data) {
        texts.add("<binary " + data.length + ">");
    }

    @Override
    public void onClosed(String reason) {
        closed.countDown();
    }

    /** Waits for a text message matching {@code match}, skipping others; null on timeout. */
    public String awaitText(Predicate<String> match, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            long left = deadline - System.nanoTime();
            String text = left > 0 ? texts.poll(left, TimeUnit.NANOSECONDS) : null;
            if (text == null || match.test(text)) {
                return text;
            }
        }
    }

    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }
}
