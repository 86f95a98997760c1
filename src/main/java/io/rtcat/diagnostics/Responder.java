package io.rtcat.diagnostics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.CheckMessages.Bye;
import io.rtcat.diagnostics.CheckMessages.Cancel;
import io.rtcat.diagnostics.CheckMessages.CheckError;
import io.rtcat.diagnostics.CheckMessages.CheckHello;
import io.rtcat.diagnostics.CheckMessages.MediaCandidate;
import io.rtcat.diagnostics.CheckMessages.MediaEnd;
import io.rtcat.diagnostics.CheckMessages.MediaFigures;
import io.rtcat.diagnostics.CheckMessages.MediaOffer;
import io.rtcat.diagnostics.CheckMessages.Message;
import io.rtcat.diagnostics.CheckMessages.PingChannel;
import io.rtcat.diagnostics.CheckMessages.PingChannelReady;
import io.rtcat.diagnostics.CheckMessages.Sink;
import io.rtcat.diagnostics.CheckMessages.SinkEnd;
import io.rtcat.diagnostics.CheckMessages.SinkResult;
import io.rtcat.diagnostics.CheckMessages.Source;
import io.rtcat.diagnostics.CheckMessages.SourceEnd;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.json.Mappers;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.ReceivedMedia;
import io.rtcat.stats.StatsEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The responder's side of one check ({@link CheckMessages}): echoes pings, counts what the checker uploads and
 * streams filler on request, until the checker says bye, the channel closes or the time limit passes.
 *
 * <p>Threads: one session thread (the {@code control} executor) owns the check's state (ping channel, media link,
 * media ticker) and sends every control message, in order; the listener callback never blocks, it only decodes
 * and hands over. Two things stay on the listener's own (serial) thread because their order against the binary
 * messages matters: the upload's byte count with its sink/sink-end boundaries, and the end of the check (bye,
 * cancel, close), which must not wait behind a slow media set-up. Filler streams out on a third thread.
 */
public final class Responder {

    /**
     * How one check ended: what was served and why it stopped ("bye", "closed", "time limit").
     *
     * @param media what the media check delivered to this side's tracks; null when there was none
     */
    public record Served(long pongs, long bytesReceived, long bytesSent, String endedBy, ReceivedMedia media) {
    }

    /** Where a media check's peer connection comes from: the responder's own engine and ICE settings. */
    public record MediaPeers(PeerEngine engine, PeerConfig config) {
    }

    private static final Duration MEDIA_SETUP = Duration.ofSeconds(20);

    private final Duration maxDuration;
    private final Consumer<String> log;

    /**
     * @param maxDuration the longest a check may hold this responder (the checker is told, and cut off after it)
     * @param log         receives one line per event, for --verbose
     */
    public Responder(Duration maxDuration, Consumer<String> log) {
        this.maxDuration = maxDuration;
        this.log = log;
    }

    /**
     * Serves one check on an open channel; returns when it is over. The channel (and the ping channel, if the
     * checker asked for one through {@code opener}) is closed afterwards.
     */
    public Served serve(MessageChannel channel, ChannelOpener opener) throws InterruptedException {
        return serve(channel, opener, null);
    }

    /**
     * Like {@link #serve(MessageChannel, ChannelOpener)}, also taking media checks.
     *
     * @param mediaPeers how to create a media check's peer connection (the check connection's engine and ICE
     *                   settings, including servers the signaling server handed out); null refuses media checks
     */
    public Served serve(MessageChannel channel, ChannelOpener opener, MediaPeers mediaPeers)
            throws InterruptedException {
        Session session = new Session(channel, opener, mediaPeers);
        channel.setListener(session);
        try {
            boolean over;
            try {
                over = session.over.await(maxDuration.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                session.cancel("interrupted"); // Ctrl-C or SIGTERM: the checker stops now, not at a timeout
                throw e;
            }
            if (!over) {
                session.end("time limit");
                session.control.execute(() -> session.trySend(new CheckError(
                        "the responder's time limit of " + maxDuration.toSeconds() + " s per check was reached")));
                session.control.shutdown();
                session.control.awaitTermination(2, TimeUnit.SECONDS);
            }
        } finally {
            // The session thread stops first, so that the media state it owned is ours alone when it is closed.
            session.stopSending();
            session.endMedia(false);
            channel.setListener(null);
            channel.close();
            MessageChannel pings = session.pingChannel;
            if (pings != null) {
                pings.close();
            }
        }
        return new Served(session.pongs.get(), session.received.get(), session.sent.get(), session.endedBy,
                session.mediaReceived);
    }

    private final class Session implements MessageChannel.Listener {
        final MessageChannel channel;
        final ChannelOpener opener;
        final MediaPeers mediaPeers;
        final CountDownLatch over = new CountDownLatch(1);
        /** The session thread: runs every task below that is not marked as the listener's. */
        final ExecutorService control = Threads.serial("rtcat-respond-control");
        final ExecutorService filler = Threads.serial("rtcat-respond-source");
        final AtomicLong pongs = new AtomicLong();
        /** Listener thread: the upload's count, in order with the sink boundaries. */
        final AtomicLong received = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        long sinkStartNanos;
        /** Set while a download runs; cleared before its source-end goes out, so the checker's next one starts. */
        final AtomicBoolean sourceRunning = new AtomicBoolean();
        volatile String endedBy = "closed";
        volatile boolean cancelled;
        // Owned by the session thread; serve() reads them once that thread has stopped (hence volatile).
        volatile MessageChannel pingChannel;
        volatile MediaLink mediaLink;
        volatile ReceivedMedia mediaReceived;
        ScheduledExecutorService mediaTicker;

        Session(MessageChannel channel, ChannelOpener opener, MediaPeers mediaPeers) {
            this.channel = channel;
            this.opener = opener;
            this.mediaPeers = mediaPeers;
        }

        @Override
        public void onText(String text) {
            String pong = EchoProbe.pongFor(text);
            if (pong != null) {
                pongs.incrementAndGet();
                onSession(() -> trySend(channel, pong));
                return;
            }
            Message m;
            try {
                m = CheckMessages.decode(text);
            } catch (RtcatException e) {
                log.accept("a malformed message from the checker: " + e.getMessage());
                onSession(() -> { // said before the check ends: ending stops the session thread
                    trySend(new CheckError(e.getMessage()));
                    end("a malformed message");
                });
                return;
            }
            if (m instanceof Sink) {
                received.set(0);
                sinkStartNanos = System.nanoTime();
                log.accept("receiving the checker's upload");
            } else if (m instanceof SinkEnd) {
                SinkResult result = new SinkResult(received.get(), System.nanoTime() - sinkStartNanos);
                onSession(() -> trySend(result));
            } else if (m instanceof Bye) {
                end("bye");
            } else if (m instanceof Cancel c) {
                end("cancelled by the checker: " + c.reason());
            } else {
                onSession(() -> handle(m));
            }
        }

        /** On the session thread: the messages that change the session's state or answer. */
        private void handle(Message m) {
            if (m instanceof CheckHello) {
                trySend(CheckHello.responder(maxDuration.toSeconds()));
            } else if (m instanceof PingChannel p) {
                openPingChannel(p.id());
            } else if (m instanceof Source s) {
                startSource(s.bytes(), s.seconds());
            } else if (m instanceof MediaOffer o) {
                startMedia(o.sdp());
            } else if (m instanceof MediaCandidate c) {
                if (mediaLink != null) {
                    mediaLink.accept(c);
                }
            } else if (m instanceof MediaEnd) {
                endMedia(true);
            }
            // Anything else (a newer checker's message) is ignored, so that old responders keep serving new checkers.
        }

        @Override
        public void onBinary(byte[] data) {
            received.addAndGet(data.length);
        }

        @Override
        public void onClosed(String reason) {
            end("closed");
        }

        synchronized void end(String why) {
            if (over.getCount() > 0) {
                endedBy = why;
                over.countDown();
            }
        }

        /** Runs {@code task} on the session thread, unless the session is over and that thread has stopped. */
        private void onSession(Runnable task) {
            try {
                control.execute(task);
            } catch (RejectedExecutionException e) {
                // Over: nothing more goes out.
            }
        }

        /** Opens our side of the negotiated ping channel (blocking) and says so. */
        private void openPingChannel(int id) {
            if (pingChannel != null) {
                return;
            }
            try {
                MessageChannel pings = opener.openUnreliable("rtcat-ping", id);
                pings.setListener(MessageChannel.Listener.textOnly(text -> {
                    String pong = EchoProbe.pongFor(text);
                    if (pong != null) {
                        pongs.incrementAndGet();
                        onSession(() -> trySend(pings, pong));
                    }
                }));
                pingChannel = pings;
                trySend(new PingChannelReady(id));
            } catch (RtcatException e) {
                log.accept("cannot open the ping channel: " + e.getMessage());
                trySend(new CheckError("cannot open the ping channel: " + e.getMessage()));
            }
        }

        /** Answers the checker's media offer and reports what arrives once a second. */
        private void startMedia(String offerSdp) {
            if (mediaLink != null) {
                return;
            }
            if (mediaPeers == null) {
                trySend(new CheckError("this responder does not take media checks"));
                return;
            }
            try {
                mediaLink = MediaLink.answer(mediaPeers.engine(), mediaPeers.config(), offerSdp,
                        text -> onSession(() -> trySend(channel, text)), MEDIA_SETUP);
                log.accept("receiving media from the checker");
                // The ticker only knocks; the figures are read and sent on the session thread, like everything else.
                mediaTicker = Threads.scheduler("rtcat-respond-media");
                mediaTicker.scheduleAtFixedRate(() -> onSession(() -> sendMediaStats(false)), 1, 1, TimeUnit.SECONDS);
            } catch (RtcatException e) {
                log.accept("cannot answer the media offer: " + e.getMessage());
                trySend(new CheckError("cannot answer the media offer: " + e.getMessage()));
            }
        }

        /**
         * Stops reporting, sends the final figures when {@code report}, and closes the media connection. On the
         * session thread, or on the serving thread once the session thread has stopped.
         */
        void endMedia(boolean report) {
            ScheduledExecutorService ticker = mediaTicker;
            mediaTicker = null;
            if (ticker != null) {
                ticker.shutdownNow();
            }
            MediaLink link = mediaLink;
            if (report && link != null) {
                sendMediaStats(true);
            }
            mediaLink = null;
            if (link != null) {
                mediaReceived = link.peer().receivedMedia();
                link.close();
            }
        }

        private void sendMediaStats(boolean last) {
            MediaLink link = mediaLink;
            if (link == null) {
                return;
            }
            List<StatsEntry> entries = Futures.poll(link.peer().fullStats(), TimeUnit.SECONDS.toNanos(3));
            ReceivedMedia got = link.peer().receivedMedia();
            ObjectNode received = Mappers.JSON.createObjectNode().put("video_frames", got.videoFrames())
                    .put("width", got.width()).put("height", got.height())
                    .put("resolution_changes", got.resolutionChanges()).put("audio_samples", got.audioSamples());
            trySend(new MediaFigures(last, received,
                    MediaStats.select(entries == null ? List.of() : entries, "inbound-rtp")));
        }

        private void startSource(long bytes, double seconds) {
            if (!sourceRunning.compareAndSet(false, true)) {
                log.accept("ignored a download request while one is running");
                return;
            }
            double limited = Math.min(seconds, maxDuration.toSeconds());
            log.accept(bytes > 0 ? "sending " + bytes + " bytes to the checker"
                    : "sending to the checker for " + limited + " s");
            filler.execute(() -> streamFiller(bytes, limited));
        }

        /** On the filler thread. */
        private void streamFiller(long bytes, double seconds) {
            int chunk = Math.min(Filler.CHUNK, channel.maxMessageSize());
            ByteBuffer data = Filler.buffer();
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long done = 0;
            try {
                while (over.getCount() > 0 && (bytes > 0 ? done < bytes : System.nanoTime() < deadline)) {
                    int n = (int) (bytes > 0 ? Math.min(chunk, bytes - done) : chunk);
                    channel.sendBinary(data.duplicate().limit(n));
                    done += n;
                    sent.addAndGet(n);
                }
            } catch (IOException e) {
                end("closed");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                sourceRunning.set(false);
            }
            SourceEnd end = new SourceEnd(done);
            if (!cancelled) {
                onSession(() -> trySend(end));
            }
        }

        void trySend(Message message) {
            trySend(channel, CheckMessages.encode(message));
        }

        /** Says this side stops (from the interrupted serving thread; its flag is restored by the caller's throw). */
        void cancel(String reason) {
            cancelled = true; // before the download stops: its source-end would read as a finished download
            try {
                channel.sendText(CheckMessages.encode(new Cancel(reason)));
                channel.drain(1000);
            } catch (IOException ignored) {
                // the checker is gone already
            } catch (InterruptedException ignored) {
                // a second interrupt: stop trying
            } finally {
                end("interrupted");
            }
        }

        /** Sends on {@code target}; losing the reliable control channel ends the check, a lost pong does not. */
        void trySend(MessageChannel target, String text) {
            try {
                target.sendText(text);
            } catch (IOException e) {
                if (target == channel) {
                    end("closed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the session and filler threads and waits (briefly) until the session thread is done. */
        void stopSending() {
            control.shutdownNow();
            filler.shutdownNow();
            try {
                control.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
