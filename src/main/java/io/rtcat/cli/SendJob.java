package io.rtcat.cli;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.Connection;
import io.rtcat.session.RemotePeer;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stripe.StreamChoice;
import io.rtcat.stripe.Stripes;
import io.rtcat.transfer.BatchResult;
import io.rtcat.transfer.BatchSender;
import io.rtcat.transfer.TransferDefaults;
import io.rtcat.transfer.TransferSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The sending half of `rtcat send`: what to send, the transfer, and the report once it arrived. */
final class SendJob {

    private final Console console;
    private final GlobalOptions global;
    private final List<String> paths;
    private final boolean jsonStream;
    private List<TransferSource> sources;
    private Invitation invitation;

    private final StatsOptions statsOptions;

    SendJob(Console console, GlobalOptions global, List<String> paths, boolean jsonStream, StatsOptions statsOptions) {
        this.statsOptions = statsOptions;
        this.console = console;
        this.global = global;
        this.paths = paths;
        this.jsonStream = jsonStream;
    }

    /** Checks and lists the inputs before anything is announced, so a typo fails at once. */
    void prepare() throws RtcatException {
        if (paths.contains("-")) {
            if (paths.size() != 1) {
                throw new RtcatException(RtcatException.Kind.USAGE, "'-' (standard input) cannot be combined with "
                        + "other paths");
            }
            sources = List.of(TransferSource.stdin(console.rawIn, "stdin"));
        } else {
            sources = TransferSource.ofPaths(paths.stream().map(Path::of).toList());
        }
        if (sources.isEmpty()) {
            throw new RtcatException(RtcatException.Kind.NO_INPUT, "nothing to send: the folders are empty");
        }
    }

    /** The receiver has been told how to meet us: wrappers learn it on stdout too. */
    void ready(Invitation invitation) {
        this.invitation = invitation;
        if (jsonStream) {
            console.out.println(invitation.readyEvent().toString());
            console.out.flush();
        }
    }

    long totalBytes() {
        long total = 0;
        for (TransferSource s : sources) {
            if (s.size() < 0) {
                return -1;
            }
            total += s.size();
        }
        return total;
    }

    int fileCount() {
        return sources.size();
    }

    /**
     * @param streams how many stripes to ask for; null for none at all (plain rooms: the receiver may be a
     *                browser page that knows nothing of stripes)
     */
    int run(RemotePeer remote, Duration timeout, PeerEngine engine, PeerConfig config, StreamsOption streams,
            Consumer<String> debug) throws RtcatException {
        Connection c = remote.connection();
        BatchResult result;
        Stripes stripes = null;
        BatchSender sender;
        // RTT and DTLS before any data: the RTT that --streams auto goes by (and pacing), DTLS while it is surely up
        ConnectionStats atConnect = Futures.poll(c.peer().stats(), TimeUnit.SECONDS.toNanos(2));
        try {
            if (streams != null) {
                Double rtt = atConnect == null ? null : atConnect.rttMillis();
                if (streams.probesLoss(rtt, totalBytes())) {
                    stripes = Stripes.offerAfterProbe(engine, config, c.channel(), rtt, c.peer()::freshStats, debug);
                } else {
                    StreamChoice choice = streams.choose(atConnect);
                    stripes = Stripes.offer(engine, config, c.channel(), choice.width(), choice.reason(), debug);
                }
            }
            MessageChannel channel = stripes != null ? stripes.channel() : c.channel();
            try (BatchProgress progress = new BatchProgress(console, global, jsonStream, "send");
                    StatsTicker ticker = StatsTicker.start(c.peer(), console, jsonStream, statsOptions.interval)) {
                sender = new BatchSender(TransferDefaults.CHUNK_SIZE, helloTimeout(streams), timeout,
                        BatchSender.DEFAULT_CONFIRM_TIMEOUT, progress).withPathRtt(atConnect == null ? null : atConnect.rttMillis());
                result = sender.send(channel, sources);
            } catch (RtcatException e) {
                dumpStats(c, e.getMessage());
                throw e;
            }
            ConnectionStats stats = SessionReport.endStats(c.peer(), atConnect);
            dumpStats(c, null);
            SessionReport.print(console.out, mode(), "sent", result, c.connectMillis(), stats,
                    streamsReport(stripes, false), invitation, sender.pacing());
            return ExitCode.OK;
        } finally {
            if (stripes != null) {
                stripes.close();
            }
        }
    }

    /**
     * How long to wait for the receiver's hello: only a plain room (no stripes offered, no PAKE) may hold a page
     * that never says one; after a PAKE the peer always does, and a late hello only means a busy machine.
     */
    static Duration helloTimeout(StreamsOption streams) {
        return streams != null ? TransferDefaults.KNOWN_PEER_HELLO_TIMEOUT : TransferDefaults.HELLO_TIMEOUT;
    }

    static SessionReport.Streams streamsReport(Stripes stripes, boolean received) {
        return stripes == null ? SessionReport.Streams.ONE
                : new SessionReport.Streams(stripes.width(), stripes.reason(), stripes.bytesPerStripe(received),
                        stripes.probe());
    }


    private void dumpStats(Connection c, String error) throws RtcatException {
        if (statsOptions.dump != null) {
            StatsDump.write(statsOptions.dump, StatsDump.collect(Map.of("sender", c.peer())), error);
        }
    }

    private SessionReport.Mode mode() {
        return jsonStream ? SessionReport.Mode.JSON_STREAM : global.json ? SessionReport.Mode.JSON
                : SessionReport.Mode.TEXT;
    }
}
