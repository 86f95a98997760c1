package io.rtcat.diagnostics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.ReceivedMedia;
import io.rtcat.stats.StatsEntry;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The responder's side of one check ({@link CheckMessages}): echoes pings, counts what the checker uploads and
 * streams filler on request, until the checker says bye, the channel closes or the time limit passes. Sending
 * happens on two threads of its own (control replies, filler), never in the listener callback.
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

    private static final ObjectMapper JSON = new ObjectMapper();
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
                session.control.execute(() -> session.trySend(CheckMessages.error(
                        "the responder's time limit of " + maxDuration.toSeconds() + " s per check was reached")));
                session.control.shutdown();
                session.control.awaitTermination(2, TimeUnit.SECONDS);
            }
        } finally {
            session.endMedia(false);
            session.stopSending();
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
        volatile MessageChannel pingChannel;
        final CountDownLatch over = new CountDownLatch(1);
        final ExecutorService control = singleThread("rtcat-respond-control");
        final ExecutorService filler = singleThread("rtcat-respond-source");
        final AtomicLong pongs = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        volatile long sinkStartNanos;
        /** Set while a download runs; cleared before its source-end goes out, so the checker's next one starts. */
        final AtomicBoolean sourceRunning = new AtomicBoolean();
        volatile String endedBy = "closed";
        volatile boolean cancelled;
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
                control.execute(() -> trySend(pong));
                return;
            }
            Optional<CheckMessages.Message> parsed = CheckMessages.parse(text);
            if (parsed.isEmpty()) {
                return;
            }
            CheckMessages.Message m = parsed.get();
            switch (m.type()) {
                case "check-hello" -> control.execute(() -> trySend(
                        CheckMessages.helloReply(maxDuration.toSeconds())));
                case "ping-channel" -> {
                    int id = (int) m.longField("id", CheckMessages.PING_CHANNEL_ID);
                    control.execute(() -> openPingChannel(id));
                }
                case "sink" -> {
                    received.set(0);
                    sinkStartNanos = System.nanoTime();
                    log.accept("receiving the checker's upload");
                }
                case "sink-end" -> {
                    long nanos = System.nanoTime() - sinkStartNanos;
                    long bytes = received.get();
                    control.execute(() -> trySend(CheckMessages.sinkResult(bytes, nanos)));
                }
                case "source" -> startSource(m.longField("bytes", 0), m.body().path("seconds").asDouble(0));
                case "media-offer" -> {
                    String sdp = m.textField("sdp");
                    control.execute(() -> startMedia(sdp));
                }
                case "media-candidate" -> control.execute(() -> {
                    MediaLink link = mediaLink;
                    if (link != null) {
                        link.accept(m);
                    }
                });
                case "media-end" -> control.execute(() -> endMedia(true));
                case "bye" -> end("bye");
                case "cancel" -> end("cancelled by the checker: " + m.textField("reason"));
                default -> {
                    // A newer checker's message: ignored, so that old responders keep serving new checkers.
                }
            }
        }

        @Override
        public void onBinary(byte[] data) {
            received.addAndGet(data.length);
        }

        @Override
        public void onClosed(String reason) {
            end("closed");
        }

        void end(String why) {
            if (over.getCount() > 0) {
                endedBy = why;
                over.countDown();
            }
        }

        /** Opens our side of the negotiated ping channel (blocking: on the control thread) and says so. */
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
                        control.execute(() -> trySend(pings, pong));
                    }
                }));
                pingChannel = pings;
                trySend(channel, CheckMessages.pingChannelReady(id));
            } catch (RtcatException e) {
                log.accept("cannot open the ping channel: " + e.getMessage());
                trySend(channel, CheckMessages.error("cannot open the ping channel: " + e.getMessage()));
            }
        }

        /** On the control thread: answers the checker's media offer and reports what arrives once a second. */
        private void startMedia(String offerSdp) {
            if (mediaLink != null) {
                return;
            }
            if (mediaPeers == null) {
                trySend(CheckMessages.error("this responder does not take media checks"));
                return;
            }
            try {
                mediaLink = MediaLink.answer(mediaPeers.engine(), mediaPeers.config(), offerSdp, this::trySend,
                        MEDIA_SETUP);
                log.accept("receiving media from the checker");
                ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rtcat-respond-media");
                    t.setDaemon(true);
                    return t;
                });
                ticker.scheduleAtFixedRate(() -> sendMediaStats(false), 1, 1, TimeUnit.SECONDS);
                mediaTicker = ticker;
            } catch (RtcatException e) {
                log.accept("cannot answer the media offer: " + e.getMessage());
                trySend(CheckMessages.error("cannot answer the media offer: " + e.getMessage()));
            }
        }

        /** Stops reporting, sends the final figures when {@code report}, and closes the media connection. */
        void endMedia(boolean report) {
            ScheduledExecutorService ticker = mediaTicker;
            mediaTicker = null;
            if (ticker != null) {
                ticker.shutdownNow();
                try {
                    ticker.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (report && mediaLink != null) {
                sendMediaStats(true);
            }
            MediaLink link = mediaLink;
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
            ObjectNode received = JSON.createObjectNode().put("video_frames", got.videoFrames())
                    .put("width", got.width()).put("height", got.height())
                    .put("resolution_changes", got.resolutionChanges()).put("audio_samples", got.audioSamples());
            trySend(CheckMessages.mediaStats(last, received,
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
            long total = done;
            if (!cancelled) {
                control.execute(() -> trySend(CheckMessages.sourceEnd(total)));
            }
        }

        void trySend(String text) {
            trySend(channel, text);
        }

        /** Says this side stops (from the interrupted serving thread; its flag is restored by the caller's throw). */
        void cancel(String reason) {
            cancelled = true; // before the download stops: its source-end would read as a finished download
            try {
                channel.sendText(CheckMessages.cancel(reason));
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

        void stopSending() {
            control.shutdownNow();
            filler.shutdownNow();
        }
    }

    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
