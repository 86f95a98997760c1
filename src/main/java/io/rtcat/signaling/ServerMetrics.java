package io.rtcat.signaling;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link SignalingServer}, updated where the server decides things and read by
 * {@link MetricsText}. All methods are thread-safe and cheap (LongAdders, no locks).
 *
 * <p>Rejection reasons are the server's error codes ({@code bad-json}, {@code room-full}, ...,
 * {@code rate-limited} once per dropped message) and its close reasons ({@link #UNAUTHORIZED} 4401,
 * {@link #IDLE} 4408, {@link #TOO_MANY_CONNECTIONS} and {@link #RATE_LIMIT_EXCEEDED} 4429,
 * {@link #MESSAGE_TOO_BIG} 1009, {@link #HANDSHAKE_TIMEOUT}, {@link #JOIN_TIMEOUT} 4410, {@link #SLOW_READER} 4413). All known reasons start at 0, so they
 * show up before the first rejection.
 */
public final class ServerMetrics {

    /** Close 4401: missing or wrong token. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** Close 4408: no message for the idle timeout. */
    public static final String IDLE = "idle";
    /** Close 4429: over the per-IP connection limit. */
    public static final String TOO_MANY_CONNECTIONS = "too-many-connections";
    /** Close 4429: sustained rate-limit abuse. */
    public static final String RATE_LIMIT_EXCEEDED = "rate-limit-exceeded";
    /** Close 1009: a message over the size limit. */
    public static final String MESSAGE_TOO_BIG = "message-too-big";
    /** A TCP connection that did not finish the WebSocket handshake in time. */
    public static final String HANDSHAKE_TIMEOUT = "handshake-timeout";

    /** Close 4410: a WebSocket connection that did not join a room within the handshake timeout. */
    public static final String JOIN_TIMEOUT = "join-timeout";

    /** Close 4413: a connection that does not read what the server sends it. */
    public static final String SLOW_READER = "slow-reader";

    /** A join answered without TURN credentials: its address got too many of them in a row. */
    public static final String TURN_LIMITED = "turn-limited";

    /** Every reason the server can report, in a stable order. */
    public static final List<String> REASONS = List.of(UNAUTHORIZED, IDLE, TOO_MANY_CONNECTIONS,
            RATE_LIMIT_EXCEEDED, MESSAGE_TOO_BIG, HANDSHAKE_TIMEOUT, JOIN_TIMEOUT, SLOW_READER, TURN_LIMITED,
            SignalingProtocol.ERR_BAD_JSON, SignalingProtocol.ERR_MISSING_TYPE, SignalingProtocol.ERR_NOT_JOINED,
            SignalingProtocol.ERR_BAD_JOIN, SignalingProtocol.ERR_ALREADY_JOINED, SignalingProtocol.ERR_ROOM_FULL,
            SignalingProtocol.ERR_USER_ID_TAKEN, SignalingProtocol.ERR_UNKNOWN_TARGET, SignalingProtocol.ERR_BAD_TARGET,
            SignalingProtocol.ERR_RESERVED_TYPE, SignalingProtocol.ERR_BINARY, SignalingProtocol.ERR_INTERNAL,
            SignalingProtocol.ERR_RATE_LIMITED, SignalingProtocol.ERR_ROOM_NOT_ALLOWED,
            SignalingProtocol.ERR_TOO_MANY_ROOMS);

    /** Upper bounds of the relay-time histogram buckets, in seconds (+Inf is implied). */
    public static final double[] RELAY_BUCKETS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};

    private final LongAdder connectionsTotal = new LongAdder();
    private final LongAdder relayed = new LongAdder();
    private final LongAdder lostWrites = new LongAdder();
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
    private final Histogram relaySeconds = new Histogram(RELAY_BUCKETS);
    private final Map<Integer, LongAdder> pageRequests = new ConcurrentHashMap<>();

    public ServerMetrics() {
        for (String r : REASONS) {
            rejections.put(r, new LongAdder());
        }
        pageRequests.put(200, new LongAdder()); // so the family shows before the first request
    }

    /** A WebSocket handshake completed (admitted or not). */
    void connectionOpened() {
        connectionsTotal.increment();
    }

    /** A plain HTTP request (the web page, a 404...) was answered with {@code status}. */
    void pageAnswered(int status) {
        pageRequests.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    /** A message was handed to its recipients {@code nanos} after it arrived. */
    void relayed(long nanos) {
        relayed.increment();
        relaySeconds.observeNanos(nanos);
    }

    /** A connection or message was refused for {@code reason} (an error code or a close reason above). */
    void rejected(String reason) {
        rejections.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    public long messagesRelayed() {
        return relayed.sum();
    }

    /** The selector was asked again to write a connection's queued frames (SignalingServer.rearmLostWrites). */
    void lostWriteRepaired() {
        lostWrites.increment();
    }

    public long lostWritesRepaired() {
        return lostWrites.sum();
    }

    /** Rejections so far by reason, sorted by reason. */
    public Map<String, Long> rejections() {
        Map<String, Long> out = new TreeMap<>();
        rejections.forEach((k, v) -> out.put(k, v.sum()));
        return Collections.unmodifiableMap(out);
    }

    public long rejections(String reason) {
        LongAdder a = rejections.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** Plain HTTP requests answered so far by status code, sorted by status. */
    public Map<Integer, Long> pageRequests() {
        Map<Integer, Long> out = new TreeMap<>();
        pageRequests.forEach((k, v) -> out.put(k, v.sum()));
        return Collections.unmodifiableMap(out);
    }

    public Histogram.Snapshot relaySeconds() {
        return relaySeconds.snapshot();
    }

    /** A fixed-bucket histogram of durations; buckets are stored per bucket and made cumulative on read. */
    public static final class Histogram {
        private final double[] bounds;
        private final long[] boundNanos;
        /** One more than bounds: the last counts observations above every bound. */
        private final LongAdder[] counts;
        private final LongAdder sumNanos = new LongAdder();

        public Histogram(double[] boundsSeconds) {
            this.bounds = boundsSeconds.clone();
            this.boundNanos = new long[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                if (i > 0 && !(bounds[i] > bounds[i - 1])) {
                    throw new IllegalArgumentException("bucket bounds must increase: " + bounds[i]);
                }
                boundNanos[i] = Math.round(bounds[i] * 1e9);
            }
            this.counts = new LongAdder[bounds.length + 1];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        public void observeNanos(long nanos) {
            long n = Math.max(0, nanos);
            int i = 0;
            while (i < boundNanos.length && n > boundNanos[i]) {
                i++;
            }
            counts[i].increment();
            sumNanos.add(n);
        }

        /**
         * A consistent-enough copy: cumulative counts per bound, the total (the +Inf bucket) and the sum.
         * Taken while others observe, the count may lag the buckets by a few; it is never below them.
         */
        public Snapshot snapshot() {
            long[] cumulative = new long[bounds.length];
            long running = 0;
            for (int i = 0; i < bounds.length; i++) {
                running += counts[i].sum();
                cumulative[i] = running;
            }
            long total = running + counts[bounds.length].sum();
            return new Snapshot(bounds.clone(), cumulative, total, sumNanos.sum() / 1e9);
        }

        /**
         * @param bounds     upper bounds in seconds
         * @param cumulative observations at or below each bound
         * @param count      all observations (the +Inf bucket)
         * @param sumSeconds sum of all observations
         */
        public record Snapshot(double[] bounds, long[] cumulative, long count, double sumSeconds) {
        }
    }
}
