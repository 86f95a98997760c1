package io.rtcat.cli;

import io.rtcat.diagnostics.CheckPlan;
import io.rtcat.diagnostics.CheckReport;
import io.rtcat.diagnostics.Checker;
import io.rtcat.diagnostics.Responder;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.LocalRendezvous;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Doctor's data test through one TURN server: two peers in this process, relay only, a few pings and a short
 * upload, as `check --local --relay-only --ice URL` does.
 *
 * @param error why it failed, null when it worked
 */
record RelayDataTest(String url, int pingsSent, int pingsAnswered, Double rttAvgMillis, Double bytesPerSecond,
        String error) {

    static final long BYTES = 2L * 1024 * 1024;

    static RelayDataTest run(PeerEngine engine, IceServerUrl turn, Duration timeout, Consumer<String> debug) {
        PeerConfig config = new PeerConfig(List.of(turn), true, 0, 0, false, PeerConfig.DEFAULT_HIGH_WATERMARK);
        CheckPlan plan = new CheckPlan(5, 100, BYTES, 0, CheckPlan.Direction.UP, timeout.toMillis());
        try (LocalRendezvous rendezvous = LocalRendezvous.open(timeout)) {
            LocalRendezvous.Pair pair = rendezvous.connect(engine, config, ChannelOptions.reliable("rtcat-doctor"),
                    timeout, debug);
            Responder responder = new Responder(timeout.multipliedBy(2), s -> debug.accept("responder: " + s));
            CompletableFuture<Responder.Served> served = CompletableFuture.supplyAsync(() -> {
                try {
                    return responder.serve(pair.answerer().channel(), Checker.opener(pair.answerer().peer()),
                            new Responder.MediaPeers(engine, config));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            });
            try {
                CheckReport r = Checker.run("local", pair.offerer().peer(), pair.offerer().channel(),
                        pair.offerer().timings(), plan, null, bytes -> { }, debug);
                return new RelayDataTest(turn.url(), r.pingsSent(), r.pingsAnswered(),
                        r.rtt() == null ? null : r.rtt().avg(), r.throughputBytesPerSecond(), null);
            } finally {
                pair.offerer().close();
                Futures.poll(served, TimeUnit.SECONDS.toNanos(5));
                pair.answerer().close();
            }
        } catch (RtcatException e) {
            return new RelayDataTest(turn.url(), 0, 0, null, null, e.getMessage());
        }
    }

    boolean ok() {
        return error == null;
    }

    /** e.g. "5/5 pings, RTT 1.2 ms, 14.3 MB/s". */
    String describe() {
        if (error != null) {
            return "FAILED: " + error;
        }
        return String.format(java.util.Locale.ROOT, "%d/%d pings, RTT %s, %s", pingsAnswered, pingsSent,
                io.rtcat.stats.Units.formatRtt(rttAvgMillis),
                bytesPerSecond == null ? "n/a" : io.rtcat.stats.Units.formatRate(bytesPerSecond));
    }
}
