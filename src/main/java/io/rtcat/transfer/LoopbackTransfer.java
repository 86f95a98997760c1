package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.Peer;
import io.rtcat.session.LocalRendezvous;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.TransferReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * Sends one source from the offerer to the answerer of a connected pair, the receiver saving into
 * {@code outDir}, and reports what happened. Both ends run the same code two machines would run.
 */
public final class LoopbackTransfer {

    /** Tunables of one run. */
    public record Settings(int chunkSize, long highWatermark, long window, OnExisting onExisting, Duration idleTimeout) {
    }

    private final Settings settings;

    public LoopbackTransfer(Settings settings) {
        this.settings = settings;
    }

    public TransferReport run(LocalRendezvous.Pair pair, TransferSource source, Path outDir, LongConsumer progress)
            throws RtcatException {
        FileReceiver receiver = new FileReceiver(outDir, settings.onExisting(), settings.window(), bytes -> { })
                .withIdleTimeout(settings.idleTimeout());
        FileSender sender = new FileSender(settings.chunkSize(), FileSender.DEFAULT_HELLO_TIMEOUT,
                settings.idleTimeout(), progress);
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtcat-receiver");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<ReceiveResult> received = pool.submit(
                    () -> receiver.receive(pair.answerer().channel(), settings.idleTimeout()));
            SendResult sent;
            try {
                sent = sender.send(pair.offerer().channel(), source);
            } catch (RtcatException e) {
                // The receiver's own error usually says more (e.g. "file exists"); prefer it when it has one.
                RtcatException receiverError = receiverFailure(received);
                throw receiverError != null ? receiverError : e;
            }
            ReceiveResult result = await(received, settings.idleTimeout());
            ConnectionStats stats = readStats(pair.offerer().peer());
            long receiverNanos = result.duration().toNanos();
            return new TransferReport(sent.name(), sent.bytes(), sent.sha256(), result.verified(),
                    pair.offerer().connectMillis(), sent.durationNanos(), receiverNanos, settings.chunkSize(),
                    settings.highWatermark(), settings.window(), stats);
        } finally {
            pool.shutdownNow();
        }
    }

    private static RtcatException receiverFailure(Future<ReceiveResult> received) {
        try {
            received.get(2, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof RtcatException r ? r : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (TimeoutException e) {
            return null;
        }
    }

    private static ReceiveResult await(Future<ReceiveResult> received, Duration timeout) throws RtcatException {
        try {
            return received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RtcatException r) {
                throw r;
            }
            throw new RtcatException(RtcatException.Kind.IO, "receiving failed: " + e.getCause(), null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while receiving");
        } catch (TimeoutException e) {
            throw new RtcatException(RtcatException.Kind.TIMEOUT, "the receiver did not finish within "
                    + timeout.toSeconds() + " s");
        }
    }

    /** Stats are a report nicety: a failure to read them must not fail a good transfer. */
    private static ConnectionStats readStats(Peer peer) {
        try {
            return peer.stats().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
