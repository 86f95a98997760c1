package io.rtcat.session.lan;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The receiver's side of {@link LanDiscovery}: asks for a nameplate and collects the senders that answer,
 * newest first, dropping those that said goodbye or went quiet. {@link #next} hands out each address once.
 */
public final class LanFinder implements AutoCloseable {

    /** One way to reach one sender: its embedded signaling server at host:port. */
    public record Found(String senderId, String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Most senders of one nameplate remembered at once; a real LAN has one or two. */
    private static final int MAX_SENDERS = 64;

    private final String nameplate;
    private final LanSocket socket;
    private final ScheduledExecutorService timer;
    /** Last announce per sender id, in nanoTime; guarded by {@code this}. */
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Set<String> gone = new LinkedHashSet<>();
    private final Set<Found> handedOut = new LinkedHashSet<>();
    private final LinkedBlockingQueue<Found> fresh = new LinkedBlockingQueue<>(256);

    private LanFinder(String nameplate, int groupPort) throws RtcatException {
        this.nameplate = nameplate;
        this.socket = LanSocket.open(LanDiscovery.group(groupPort), this::onMessage);
        this.timer = Threads.scheduler("rtcat-lan-query");
    }

    public static LanFinder start(String nameplate) throws RtcatException {
        return start(nameplate, LanDiscovery.PORT);
    }

    static LanFinder start(String nameplate, int groupPort) throws RtcatException {
        LanFinder f = new LanFinder(nameplate, groupPort);
        LanMessage query = LanMessage.query(nameplate);
        f.timer.scheduleWithFixedDelay(() -> f.socket.send(query), 0, LanDiscovery.ANNOUNCE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return f;
    }

    private void onMessage(LanMessage m, InetAddress from) {
        if (!m.nameplate().equals(nameplate)) {
            return;
        }
        synchronized (this) {
            if (m.type() == LanMessage.Type.BYE) {
                if (gone.size() < MAX_SENDERS * 4) {
                    gone.add(m.id());
                }
                lastSeen.remove(m.id());
                return;
            }
            if (m.type() != LanMessage.Type.ANNOUNCE || gone.contains(m.id())
                    || (!lastSeen.containsKey(m.id()) && lastSeen.size() >= MAX_SENDERS)) {
                return; // (a flood of invented senders must not grow without bound)
            }
            lastSeen.put(m.id(), System.nanoTime());
            offer(new Found(m.id(), from.getHostAddress(), m.port()));
            for (String a : m.addresses()) {
                offer(new Found(m.id(), a, m.port()));
            }
        }
    }

    private void offer(Found f) {
        if (handedOut.size() < MAX_SENDERS * 16 && handedOut.add(f)) {
            fresh.offer(f);
        }
    }

    /**
     * The next address not handed out yet whose sender is still announcing, waiting up to {@code timeoutNanos};
     * null when none came.
     */
    public Found next(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Found f = fresh.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (f == null || isFresh(f.senderId())) {
                return f;
            }
        }
    }

    /** Whether this sender announced within {@link LanDiscovery#FRESH_FOR} and has not said goodbye. */
    public synchronized boolean isFresh(String senderId) {
        Long seen = lastSeen.get(senderId);
        return seen != null && System.nanoTime() - seen < LanDiscovery.FRESH_FOR.toNanos();
    }

    /** Lets an address be handed out again when its sender announces next (after an attempt that may be retried). */
    public synchronized void retryLater(Found f) {
        handedOut.remove(f);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        socket.close();
    }
}
