package io.rtcat.diagnostics;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.stats.ConnectTimings;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.StatsEntry;
import io.rtcat.stats.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** Runs one check over an established connection to a responder: greeting, pings, throughput, stats. */
public final class Checker {

    private Checker() {
    }

    /**
     * A media check instead of the throughput run.
     *
     * @param engine    creates the media connection
     * @param config    its ICE settings (the check connection's)
     * @param perSecond receives each second's row as it is measured
     * @param snapshots receives the media connection's full stats each second (for --stats-dump)
     */
    public record MediaRequest(MediaCheck.Plan plan, PeerEngine engine, PeerConfig config,
            Consumer<MediaSecond> perSecond, Consumer<List<StatsEntry>> snapshots) {
    }

    /**
     * @param media    null for the data throughput run, else the media check to run instead
     * @param progress bytes moved so far in the throughput run
     * @param note     one line per step, for the user
     */
    public static CheckReport run(String mode, Peer peer, MessageChannel channel, ConnectTimings timings,
            CheckPlan plan, MediaRequest media, LongConsumer progress, Consumer<String> note) throws RtcatException {
        CheckClient client = new CheckClient(channel, plan.timeoutMillis());
        try {
            return run(mode, peer, client, timings, plan, media, progress, note);
        } catch (RtcatException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                client.cancel("interrupted"); // Ctrl-C or SIGTERM: the responder stops now, not at a timeout
            }
            throw e;
        }
    }

    private static CheckReport run(String mode, Peer peer, CheckClient client, ConnectTimings timings,
            CheckPlan plan, MediaRequest media, LongConsumer progress, Consumer<String> note) throws RtcatException {
        long limit = client.hello();
        if (limit > 0 && media != null && media.plan().seconds() >= limit) {
            throw new RtcatException(RtcatException.Kind.USAGE, String.format(Locale.ROOT,
                    "--duration %.0f s is longer than the responder allows per check (%d s)", media.plan().seconds(),
                    limit), "use a shorter --duration, or raise the responder's --max-seconds");
        }
        if (limit > 0 && media == null && plan.bytes() <= 0 && plan.seconds() >= limit) {
            throw new RtcatException(RtcatException.Kind.USAGE, String.format(Locale.ROOT,
                    "--duration %.0f s is longer than the responder allows per check (%d s)", plan.seconds(), limit),
                    "use a shorter --duration, or raise the responder's --max-seconds");
        }
        note.accept(String.format(Locale.ROOT, "rtcat check: connected in %d ms; sending %d pings",
                timings.totalMillis(), plan.pings()));
        client.openPingChannel(opener(peer));
        EchoProbe.Result pings = client.ping(plan.pings(), plan.intervalMillis());
        if (pings.answered() == 0) {
            throw new RtcatException(RtcatException.Kind.TIMEOUT, "no pong came back within "
                    + plan.timeoutMillis() / 1000 + " s of the last ping",
                    "the channel opened but carries no data; run again with --verbose");
        }
        if (media != null) {
            MediaReport report = MediaCheck.run(media.engine(), media.config(), client, media.plan(),
                    plan.timeoutMillis(), media.perSecond(), media.snapshots(), note);
            ConnectionStats stats = readStats(peer);
            client.bye();
            return new CheckReport(mode, timings, pings.stats(), pings.sent(), pings.answered(), List.of(), stats,
                    report);
        }
        note.accept("rtcat check: measuring throughput " + describe(plan));
        List<Throughput> throughput = new ArrayList<>();
        switch (plan.direction()) {
            case UP -> throughput.add(client.upload(plan.bytes(), plan.seconds(), progress));
            case DOWN -> throughput.add(client.download(plan.bytes(), plan.seconds(), progress));
            case BOTH -> throughput.addAll(List.of(client.bidirectional(plan.bytes(), plan.seconds(), progress)));
        }
        ConnectionStats stats = readStats(peer);
        client.bye();
        return new CheckReport(mode, timings, pings.stats(), pings.sent(), pings.answered(), throughput,
                stats, null);
    }

    /** Opens a negotiated, unordered channel without retransmissions on {@code peer}. */
    public static ChannelOpener opener(Peer peer) {
        return (label, id) -> {
            return Futures.await(peer.openChannel(new ChannelOptions(label, false, 0, null, id)).opened(), TimeUnit.SECONDS.toNanos(10), () -> "opening the ping channel");
        };
    }

    private static String describe(CheckPlan plan) {
        String what = switch (plan.direction()) {
            case UP -> "up";
            case DOWN -> "down";
            case BOTH -> "both ways";
        };
        return what + (plan.bytes() > 0 ? " (" + Units.formatSize(plan.bytes()) + ")"
                : String.format(Locale.ROOT, " for %.1f s", plan.seconds()));
    }

    /** The selected pair and its counters; null (reported as unknown) when stats cannot be read in time. */
    private static ConnectionStats readStats(Peer peer) {
        return Futures.poll(peer.stats(), TimeUnit.SECONDS.toNanos(5));
    }
}
