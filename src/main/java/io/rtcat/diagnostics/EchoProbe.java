package io.rtcat.diagnostics;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures round trips: the checker sends small text messages {@code {"type":"ping","seq":i,"t":nanos}}, the
 * responder answers each at once with the same message typed {@code pong}. The channel's listener hands every
 * text to {@link #accept(String)}; one probe is used once.
 */
public final class EchoProbe {

    /** The answered pings' round trips in milliseconds, in seq order. */
    public record Result(int sent, int answered, List<Double> rttMillis) {
        public RttStats stats() {
            return RttStats.of(rttMillis);
        }
    }

    private static final Pattern MESSAGE = Pattern.compile(
            "\\{\"type\":\"(ping|pong)\",\"seq\":(\\d{1,9}),\"t\":(-?\\d{1,19})}");

    private final int count;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final long[] sentAt;
    private final long[] rtt;
    private final boolean[] answered;
    private final CountDownLatch allAnswered;
    private final boolean lossy;
    private long maxRttNanos;

    /**
     * @param timeoutMillis how long to wait for the last pong after the last ping
     */
    public EchoProbe(int count, long intervalMillis, long timeoutMillis) {
        this(count, intervalMillis, timeoutMillis, false);
    }

    /**
     * @param lossy the channel may drop pings (unreliable): once a pong has been seen, missing ones are given up
     *              after four times the longest round trip so far (at least a second) instead of the whole timeout
     */
    public EchoProbe(int count, long intervalMillis, long timeoutMillis, boolean lossy) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        this.count = count;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.sentAt = new long[count];
        this.rtt = new long[count];
        this.answered = new boolean[count];
        this.allAnswered = new CountDownLatch(count);
        this.lossy = lossy;
    }

    static String message(String type, int seq, long nanos) {
        return "{\"type\":\"" + type + "\",\"seq\":" + seq + ",\"t\":" + nanos + "}";
    }

    /** The pong answering {@code text}, or null when it is not a ping. */
    static String pongFor(String text) {
        Matcher m = MESSAGE.matcher(text);
        if (!m.matches() || !m.group(1).equals("ping")) {
            return null;
        }
        return message("pong", Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)));
    }

    /** Records {@code text} if it is a pong of this probe; returns whether it was a pong. Never blocks. */
    public boolean accept(String text) {
        long now = System.nanoTime();
        Matcher m = MESSAGE.matcher(text);
        if (!m.matches() || !m.group(1).equals("pong")) {
            return false;
        }
        int seq = Integer.parseInt(m.group(2));
        synchronized (answered) {
            if (seq < count && !answered[seq] && sentAt[seq] != 0) {
                answered[seq] = true;
                rtt[seq] = now - sentAt[seq];
                maxRttNanos = Math.max(maxRttNanos, rtt[seq]);
                allAnswered.countDown();
            }
        }
        return true;
    }

    private void awaitPongs(long lastSentNanos) throws InterruptedException {
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long waitNanos = timeoutNanos;
            synchronized (answered) {
                if (lossy && maxRttNanos > 0) {
                    waitNanos = Math.min(timeoutNanos, Math.max(TimeUnit.SECONDS.toNanos(1), 4 * maxRttNanos));
                }
            }
            long left = lastSentNanos + waitNanos - System.nanoTime();
            if (left <= 0 || allAnswered.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)),
                    TimeUnit.NANOSECONDS)) {
                return;
            }
        }
    }

    /** Sends the pings on {@code channel}; returns when every pong came back or time ran out. */
    public Result run(MessageChannel channel) throws RtcatException {
        int sent = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (i > 0 && intervalMillis > 0) {
                    Thread.sleep(intervalMillis);
                }
                long now = System.nanoTime();
                synchronized (answered) {
                    sentAt[i] = now;
                }
                channel.sendText(message("ping", i, now));
                sent++;
            }
            awaitPongs(System.nanoTime());
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "the channel failed while pinging: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while pinging");
        }
        List<Double> millis = new ArrayList<>();
        // (collected under the lock: a late pong may still arrive while we read)
        synchronized (answered) {
            for (int i = 0; i < count; i++) {
                if (answered[i]) {
                    millis.add(rtt[i] / 1e6);
                }
            }
        }
        return new Result(sent, millis.size(), List.copyOf(millis));
    }
}
