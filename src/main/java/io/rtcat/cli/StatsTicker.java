package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Futures;
import io.rtcat.errors.Threads;
import io.rtcat.peer.Peer;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.Units;
import io.rtcat.stats.StatsSample;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints a stats line (or NDJSON event) every --stats-interval seconds while a transfer runs. */
final class StatsTicker implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final Peer peer;
    private final Console console;
    private final boolean jsonStream;
    private final long start = System.nanoTime();
    private StatsSample previous;

    private StatsTicker(Peer peer, Console console, boolean jsonStream, double seconds) {
        this.peer = peer;
        this.console = console;
        this.jsonStream = jsonStream;
        if (seconds <= 0) {
            this.timer = null;
            return;
        }
        this.timer = Threads.scheduler("rtcat-stats");
        long millis = Math.max(100, Math.round(seconds * 1000));
        timer.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    static StatsTicker start(Peer peer, Console console, boolean jsonStream, double seconds) {
        return new StatsTicker(peer, console, jsonStream, seconds);
    }

    private void tick() {
        ConnectionStats stats = Futures.poll(peer.stats(), TimeUnit.SECONDS.toNanos(2));
        if (stats == null) {
            return;
        }
        StatsSample now = new StatsSample(System.nanoTime(), stats);
        StatsSample before = previous == null ? new StatsSample(start, zero()) : previous;
        previous = now;
        double elapsed = (now.nanos() - start) / 1e9;
        double send = now.sendRateSince(before);
        double receive = now.receiveRateSince(before);
        String type = stats.local() == null ? "?" : stats.local().type() + "/" + stats.local().protocol();
        if (jsonStream) {
            ObjectNode e = BatchProgress.event("stats").put("t", Math.round(elapsed * 10) / 10.0);
            if (stats.rttMillis() != null) {
                e.put("ice_rtt_ms", stats.rttMillis());
            }
            e.put("send_bytes_per_second", Math.round(send)).put("receive_bytes_per_second", Math.round(receive))
                    .put("bytes_sent", stats.bytesSent()).put("bytes_received", stats.bytesReceived())
                    .put("path", stats.path()).put("local_candidate", type);
            synchronized (console.out) {
                console.out.println(e.toString());
                console.out.flush();
            }
        } else {
            console.err.printf(Locale.ROOT, "[%6.1f s] rtt %s  send %6.1f MB/s  recv %6.1f MB/s  path %s %s%n",
                    elapsed, Units.formatRtt(stats.rttMillis()), send / 1e6, receive / 1e6, stats.path(), type);
            console.err.flush();
        }
    }

    private static ConnectionStats zero() {
        return new ConnectionStats(null, null, null, null, null, null, null, 0, 0);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
