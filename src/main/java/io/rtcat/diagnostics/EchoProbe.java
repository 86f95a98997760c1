package io.rtcat.diagnostics;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures round trips over an open channel pair: the pinging end sends small text messages
 * {@code {"type":"ping","seq":i,"t":nanos}}, the echoing end answers each with the same message typed
 * {@code pong}. Afterwards both listeners are unset, so that the channels hold what arrives until the next
 * user sets its own.
 */
public final class EchoProbe {

    /** The answered pings' round trips in milliseconds, in seq order. */
    public record Result(int sent, int answered, List<Double> rttMillis) {
        public RttStats stats() {
            return RttStats.of(rttMillis);
        }
    }

    private static final Pattern MESSAGE = Pattern.compile(
            "\\{\"type\":\"(ping|pong)\",\"seq\":(\\d+),\"t\":(-?\\d+)}");

    private final int count;
    private final long intervalMillis;
    private final long timeoutMillis;

    /**
     * @param timeoutMillis how long to wait for the last pong after the last ping
     */
    public EchoProbe(int count, long intervalMillis, long timeoutMillis) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        this.count = count;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
    }

    static String message(String type, int seq, long nanos) {
        return "{\"type\":\"" + type + "\",\"seq\":" + seq + ",\"t\":" + nanos + "}";
    }

    /** Pings from {@code pinger}, echoes on {@code echoer}; returns when every pong came back or time ran out. */
    public Result run(MessageChannel pinger, MessageChannel echoer) throws RtcatException {
        long[] sentAt = new long[count];
        long[] rtt = new long[count];
        boolean[] answered = new boolean[count];
        CountDownLatch allAnswered = new CountDownLatch(count);
        // Echo on a thread of its own: listener callbacks must not block, and a send may.
        ExecutorService echo = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtcat-echo");
            t.setDaemon(true);
            return t;
        });
        echoer.setListener(new Ignoring() {
            @Override
            public void onText(String text) {
                Matcher m = MESSAGE.matcher(text);
                if (m.matches() && m.group(1).equals("ping")) {
                    String pong = message("pong", Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)));
                    echo.execute(() -> {
                        try {
                            echoer.sendText(pong);
                        } catch (IOException e) {
                            // The pinger counts the ping as lost.
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
        });
        pinger.setListener(new Ignoring() {
            @Override
            public void onText(String text) {
                long now = System.nanoTime();
                Matcher m = MESSAGE.matcher(text);
                if (!m.matches() || !m.group(1).equals("pong")) {
                    return;
                }
                int seq = Integer.parseInt(m.group(2));
                synchronized (answered) {
                    if (seq < count && !answered[seq] && sentAt[seq] != 0) {
                        answered[seq] = true;
                        rtt[seq] = now - sentAt[seq];
                        allAnswered.countDown();
                    }
                }
            }
        });
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
                pinger.sendText(message("ping", i, now));
                sent++;
            }
            allAnswered.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "the channel failed while pinging: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while pinging");
        } finally {
            echo.shutdownNow();
            // Back to holding messages until the next user sets its listener (nothing may get lost between).
            pinger.setListener(null);
            echoer.setListener(null);
        }
        List<Double> millis = new ArrayList<>();
        synchronized (answered) {
            for (int i = 0; i < count; i++) {
                if (answered[i]) {
                    millis.add(rtt[i] / 1e6);
                }
            }
        }
        return new Result(sent, millis.size(), List.copyOf(millis));
    }

    /** A listener that ignores binary messages and closes; the closing is noticed by the sends. */
    private abstract static class Ignoring implements MessageChannel.Listener {
        @Override
        public void onBinary(byte[] data) {
        }

        @Override
        public void onClosed(String reason) {
        }
    }
}
