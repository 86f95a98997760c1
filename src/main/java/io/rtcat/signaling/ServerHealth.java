package io.rtcat.signaling;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /healthz} reports besides "running": heap pressure (the heap still nearly full right after a
 * garbage collection) and a stalled relay (a message whose handling has not finished for
 * {@link #STALL_SECONDS} s). A load balancer then stops sending clients to a server that cannot serve them.
 */
public final class ServerHealth {

    /** Heap use after a collection, as a fraction of the maximum heap, from which the server reports trouble. */
    public static final double HEAP_PRESSURE = 0.85;
    /** A message in handling for this long means the relay is stalled. */
    public static final long STALL_SECONDS = 10;

    /** The verdict: {@code ok}, or what is wrong in one line. */
    public record Verdict(boolean ok, String detail) {
    }

    /** Start time (nanoTime) of each message being handled, by handling thread. */
    private final Map<Thread, Long> handling = new ConcurrentHashMap<>();

    /** The calling thread starts handling a message. */
    void handlingStarted() {
        handling.put(Thread.currentThread(), System.nanoTime());
    }

    /** The calling thread has finished handling its message. */
    void handlingDone() {
        handling.remove(Thread.currentThread());
    }

    /** The current verdict from this JVM's heap and the messages in handling. */
    public Verdict check() {
        long oldest = 0;
        long now = System.nanoTime();
        for (long started : handling.values()) {
            oldest = Math.max(oldest, now - started);
        }
        long usedAfterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (u != null) {
                usedAfterGc += u.getUsed();
            }
        }
        return judge(usedAfterGc, Runtime.getRuntime().maxMemory(), oldest);
    }

    /**
     * The verdict for these figures.
     *
     * @param heapUsedAfterGc heap bytes in use right after the last collections
     * @param heapMax         the most the heap may grow to
     * @param oldestHandling  nanoseconds the oldest message in handling has been in it (0: none)
     */
    static Verdict judge(long heapUsedAfterGc, long heapMax, long oldestHandling) {
        if (oldestHandling >= TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
            return new Verdict(false, "relay stalled: a message has been in handling for "
                    + TimeUnit.NANOSECONDS.toSeconds(oldestHandling) + " s");
        }
        if (heapMax > 0 && heapUsedAfterGc >= HEAP_PRESSURE * heapMax) {
            return new Verdict(false, "heap pressure: " + (heapUsedAfterGc >> 20) + " of " + (heapMax >> 20)
                    + " MiB in use after garbage collection");
        }
        return new Verdict(true, "ok");
    }
}
