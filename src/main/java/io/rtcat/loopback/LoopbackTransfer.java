package io.rtcat.loopback;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.LocalRendezvous;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.TransferReport;
import io.rtcat.transfer.BatchReceiver;
import io.rtcat.transfer.BatchResult;
import io.rtcat.transfer.BatchSender;
import io.rtcat.transfer.OnExisting;
import io.rtcat.transfer.PacingSummary;
import io.rtcat.transfer.TransferDefaults;
import io.rtcat.transfer.TransferProgress;
import io.rtcat.transfer.TransferSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Sends one source from the offerer to the answerer of a connected pair, the receiver saving into
 * {@code outDir}, and reports what happened. Both ends run the same {@link BatchSender} and
 * {@link BatchReceiver} that {@code rtcat send} and {@code rtcat receive} run on two machines; only the
 * receiver keeps nothing for resuming ({@link BatchReceiver#withoutResume}), as each run stands alone.
 */
public final class LoopbackTransfer {

    /**
     * Tunables of one run.
     *
     * @param dropAfter fault injection for tests: the receiving peer hangs up once this many bytes arrived
     *                  (negative: never)
     * @param sync whether the receiver syncs the saved copy to disk (not for a copy deleted right after)
     */
    public record Settings(int chunkSize, long highWatermark, long window, OnExisting onExisting, Duration idleTimeout,
            long dropAfter, boolean sync) {

        public Settings(int chunkSize, long highWatermark, long window, OnExisting onExisting, Duration idleTimeout) {
            this(chunkSize, highWatermark, window, onExisting, idleTimeout, -1, true);
        }
    }

    private final Settings settings;
    private volatile PacingSummary pacing;

    public LoopbackTransfer(Settings settings) {
        this.settings = settings;
    }

    /**
     * The whole loopback: embedded signaling server, two peers, handshake, transfer, teardown.
     *
     * @param steps receives handshake steps for --verbose output
     */
    public TransferReport connectAndRun(PeerEngine engine, PeerConfig config, ChannelOptions channel,
            TransferSource source, Path outDir, LongConsumer progress, Consumer<String> steps, PairObserver observer)
            throws RtcatException {
        try (LocalRendezvous rendezvous = LocalRendezvous.open(settings.idleTimeout())) {
            steps.accept("signaling on " + rendezvous.signalingUri());
            LocalRendezvous.Pair pair = rendezvous.connect(engine, config, channel, settings.idleTimeout(), steps);
            Peer sender = pair.offerer().peer();
            Peer receiver = pair.answerer().peer();
            try {
                observer.connected(sender, receiver);
                TransferReport report;
                try {
                    report = run(pair, source, outDir, progress);
                } catch (RtcatException e) {
                    observer.finishing(sender, receiver, e);
                    throw e;
                }
                observer.finishing(sender, receiver, null);
                return report;
            } finally {
                pair.offerer().close();
                pair.answerer().close();
            }
        }
    }

    /** What the sender's pacer did in the latest run, or null. */
    public PacingSummary pacing() {
        return pacing;
    }

    public TransferReport run(LocalRendezvous.Pair pair, TransferSource source, Path outDir, LongConsumer progress)
            throws RtcatException {
        BatchReceiver resumeless = new BatchReceiver(outDir, settings.onExisting(), settings.window(),
                settings.idleTimeout(), m -> true, hangUpAfter(settings.dropAfter(), pair)).withoutResume();
        BatchReceiver receiver = settings.sync() ? resumeless : resumeless.withoutSync();
        BatchSender sender = new BatchSender(settings.chunkSize(), TransferDefaults.KNOWN_PEER_HELLO_TIMEOUT,
                settings.idleTimeout(), settings.idleTimeout(), bytesSent(progress));
        ConnectionStats before = readStats(pair.offerer().peer());
        sender.withPathRtt(before == null ? null : before.rttMillis());
        ExecutorService pool = Threads.serial("rtcat-receiver");
        try {
            Future<BatchResult> received = pool.submit(
                    () -> receiver.receive(pair.answerer().channel(), settings.idleTimeout()));
            BatchResult sent;
            try {
                sent = sender.send(pair.offerer().channel(), List.of(source));
                pacing = sender.pacing();
            } catch (RtcatException e) {
                // The receiver's own error usually says more (e.g. "file exists"); prefer it when it has one.
                RtcatException receiverError = receiverFailure(received);
                throw receiverError != null ? receiverError : e;
            }
            BatchResult result = await(received, settings.idleTimeout());
            ConnectionStats stats = readStats(pair.offerer().peer());
            BatchResult.FileResult file = sent.files().get(0);
            return new TransferReport(file.name(), file.bytes(), file.sha256(), result.files().get(0).verified(),
                    pair.offerer().connectMillis(), sent.durationNanos(), result.durationNanos(),
                    settings.chunkSize(), settings.highWatermark(), settings.window(), stats);
        } finally {
            pool.shutdownNow();
        }
    }

    private static TransferProgress bytesSent(LongConsumer progress) {
        return new TransferProgress() {
            @Override
            public void onBytes(long totalBytesSoFar) {
                progress.accept(totalBytesSoFar);
            }
        };
    }

    private static TransferProgress hangUpAfter(long limit, LocalRendezvous.Pair pair) {
        if (limit < 0) {
            return TransferProgress.NONE;
        }
        AtomicBoolean dropped = new AtomicBoolean();
        return new TransferProgress() {
            @Override
            public void onBytes(long bytes) {
                if (bytes >= limit && dropped.compareAndSet(false, true)) {
                    // Not on the receiver's own thread: closing waits for libwebrtc's threads.
                    Threads.daemon("rtcat-drop", () -> pair.answerer().close()).start();
                }
            }
        };
    }

    /** The receiver's own failure, if it has one within a moment. */
    private static RtcatException receiverFailure(Future<BatchResult> received) {
        try {
            Futures.await(received, TimeUnit.SECONDS.toNanos(2), () -> "receiving");
            return null;
        } catch (RtcatException e) {
            return e.kind() == RtcatException.Kind.TIMEOUT ? null : e;
        }
    }

    private static BatchResult await(Future<BatchResult> received, Duration timeout) throws RtcatException {
        return Futures.await(received, timeout.toNanos(), () -> "waiting for the receiver to finish");
    }

    /** Stats are a report nicety: a failure to read them must not fail a good transfer. */
    private static ConnectionStats readStats(Peer peer) {
        return Futures.poll(peer.stats(), TimeUnit.SECONDS.toNanos(5));
    }
}
