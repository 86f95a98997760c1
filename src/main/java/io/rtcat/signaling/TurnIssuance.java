package io.rtcat.signaling;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How many TURN credentials one address (an IPv6 /64) may get: a token bucket of {@link #BURST}, refilled by one
 * every {@link #REFILL_SECONDS} s. A join past it is answered without {@code iceServers}: the client still
 * meets its peer, only without the relay. Thread-safe.
 */
final class TurnIssuance {

    static final int BURST = 20;
    static final long REFILL_SECONDS = 30;
    /** Entries kept before full buckets are forgotten (a full bucket is the same as none). */
    private static final int PRUNE_AT = 10_000;

    private final Map<InetAddress, double[]> buckets = new ConcurrentHashMap<>();

    /** Takes one credential for {@code ip} at {@code nowNanos}; false once its bucket is empty. */
    boolean tryIssue(InetAddress ip, long nowNanos) {
        if (ip == null) {
            return true;
        }
        if (buckets.size() > PRUNE_AT) {
            buckets.values().removeIf(b -> level(b, nowNanos) >= BURST);
        }
        boolean[] ok = {false};
        buckets.compute(IpKey.of(ip), (k, b) -> {
            double[] bucket = b == null ? new double[] {BURST, nowNanos} : b;
            bucket[0] = level(bucket, nowNanos);
            bucket[1] = nowNanos;
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                ok[0] = true;
            }
            return bucket;
        });
        return ok[0];
    }

    private static double level(double[] bucket, long nowNanos) {
        double refilled = (nowNanos - bucket[1]) / (double) TimeUnit.SECONDS.toNanos(REFILL_SECONDS);
        return Math.min(BURST, bucket[0] + refilled);
    }
}
