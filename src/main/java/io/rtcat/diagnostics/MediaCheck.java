package io.rtcat.diagnostics;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.AudioSpec;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.ReceivedMedia;
import io.rtcat.peer.VideoSpec;
import io.rtcat.stats.StatsEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The checker's side of a media check: opens the media connection ({@link MediaLink}), sends synthetic media for
 * the planned time, samples its own sender stats and the responder's receiver stats once a second, then asks for
 * the responder's final figures and summarizes.
 */
public final class MediaCheck {

    /**
     * @param video   null for no video
     * @param audio   null for no audio
     * @param seconds how long media flows once connected
     */
    public record Plan(VideoSpec video, AudioSpec audio, double seconds) {
        public Plan {
            if (video == null && audio == null) {
                throw new IllegalArgumentException("a media check sends video, audio or both");
            }
            if (!(seconds >= 1)) {
                throw new IllegalArgumentException("a media check lasts at least a second");
            }
        }
    }

    private static final long STATS_WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);

    private volatile JsonNode latest;
    private volatile JsonNode previous;
    private final CompletableFuture<JsonNode> last = new CompletableFuture<>();

    private MediaCheck() {
    }

    /**
     * @param perSecond receives each row as it is measured (live output)
     * @param snapshots receives the media connection's full stats each second
     */
    public static MediaReport run(PeerEngine engine, PeerConfig config, CheckClient client, Plan plan,
            long timeoutMillis, Consumer<MediaSecond> perSecond, Consumer<List<StatsEntry>> snapshots,
            Consumer<String> note) throws RtcatException {
        MediaCheck check = new MediaCheck();
        Duration timeout = Duration.ofMillis(timeoutMillis);
        try (MediaLink link = MediaLink.create(engine, config, client::sendQuietly)) {
            client.onMedia(m -> {
                if (m.type().equals("media-stats")) {
                    check.previous = check.latest;
                    check.latest = m.body();
                    if (m.body().path("final").asBoolean()) {
                        check.last.complete(m.body());
                    }
                } else {
                    link.accept(m);
                }
            });
            link.offer(plan.video(), plan.audio(), client::sendQuietly, timeout);
            client.awaitMediaAnswer(timeoutMillis);
            link.awaitConnected(timeout);
            note.accept("rtcat check: media connected; sending " + describe(plan));
            long start = System.nanoTime();
            List<MediaSecond> rows = new ArrayList<>();
            List<StatsEntry> before = List.of();
            long beforeNanos = start;
            int ticks = (int) Math.ceil(plan.seconds());
            for (int t = 1; t <= ticks; t++) {
                sleepUntil(start + (long) (Math.min(t, plan.seconds()) * 1e9));
                client.failIfEnded();
                List<StatsEntry> now = stats(link);
                snapshots.accept(now);
                long nowNanos = System.nanoTime();
                MediaSecond row = check.row(t, before, now, (nowNanos - beforeNanos) / 1e9);
                rows.add(row);
                perSecond.accept(row);
                before = now;
                beforeNanos = nowNanos;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<MediaStats.Rtp> sent = MediaStats.parse(MediaStats.select(before, "outbound-rtp"));
            client.sendQuietly(CheckMessages.mediaEnd());
            JsonNode finalStats = Futures.await(check.last, TimeUnit.MILLISECONDS.toNanos(timeoutMillis),
                    () -> "waiting for the responder's media figures");
            return MediaSummary.summarize(plan.video(), plan.audio(), seconds, rows, sent,
                    MediaStats.parse(finalStats.path("inbound")), received(finalStats.path("received")),
                    link.answerAcceptsSimulcast());
        } finally {
            client.onMedia(null);
        }
    }

    private static List<StatsEntry> stats(MediaLink link) {
        List<StatsEntry> s = Futures.poll(link.peer().fullStats(), STATS_WAIT_NANOS);
        return s == null ? List.of() : s;
    }

    /** One row: sender rates from our two snapshots, receiver rates from the responder's last two reports. */
    private MediaSecond row(int t, List<StatsEntry> before, List<StatsEntry> now, double dt) {
        List<MediaStats.Rtp> outNow = MediaStats.parse(MediaStats.select(now, "outbound-rtp"));
        List<MediaStats.Rtp> outBefore = MediaStats.parse(MediaStats.select(before, "outbound-rtp"));
        double sentKbps = MediaSummary.kbps(sum(outNow) - sum(outBefore), Math.max(dt, 0.001));
        MediaStats.Rtp top = outNow.stream().filter(MediaStats.Rtp::video)
                .max(Comparator.comparingInt(MediaStats.Rtp::width)).orElse(null);
        Double estimate = MediaStats.bandwidthEstimate(now);
        JsonNode cur = latest;
        JsonNode prev = previous;
        List<MediaStats.Rtp> inNow = cur == null ? List.of() : MediaStats.parse(cur.path("inbound"));
        List<MediaStats.Rtp> inBefore = prev == null ? List.of() : MediaStats.parse(prev.path("inbound"));
        MediaStats.Rtp video = kind(inNow, true);
        MediaStats.Rtp videoBefore = kind(inBefore, true);
        MediaStats.Rtp audio = kind(inNow, false);
        MediaStats.Rtp audioBefore = kind(inBefore, false);
        double rdt = video != null && videoBefore != null ? (video.timestampMicros() - videoBefore.timestampMicros()) / 1e6
                : audio != null && audioBefore != null ? (audio.timestampMicros() - audioBefore.timestampMicros()) / 1e6
                : 0;
        long lost = delta(video, videoBefore, MediaStats.Rtp::packetsLost) + delta(audio, audioBefore,
                MediaStats.Rtp::packetsLost);
        long got = delta(video, videoBefore, MediaStats.Rtp::packets) + delta(audio, audioBefore,
                MediaStats.Rtp::packets);
        MediaStats.Rtp jitterSource = video != null ? video : audio;
        long emitted = delta(video, videoBefore, MediaStats.Rtp::jitterBufferEmitted);
        double bufferDelay = video == null || videoBefore == null ? 0
                : video.jitterBufferDelaySeconds() - videoBefore.jitterBufferDelaySeconds();
        return new MediaSecond(t, estimate == null ? null : estimate / 1000, sentKbps,
                top == null ? 0 : top.targetBitrate() / 1000,
                rdt > 0 ? MediaSummary.kbps(delta(video, videoBefore, MediaStats.Rtp::bytes), rdt) : 0,
                rdt > 0 ? MediaSummary.kbps(delta(audio, audioBefore, MediaStats.Rtp::bytes), rdt) : 0,
                top == null ? 0 : top.framesPerSecond(), video == null ? 0 : video.framesPerSecond(),
                video == null ? 0 : video.width(), video == null ? 0 : video.height(),
                top == null ? null : top.qualityLimitationReason(),
                lost + got <= 0 ? 0 : 100.0 * Math.max(0, lost) / (Math.max(0, lost) + got),
                delta(video, videoBefore, MediaStats.Rtp::nackCount), delta(video, videoBefore, MediaStats.Rtp::pliCount),
                jitterSource == null ? 0 : 1000 * jitterSource.jitterSeconds(),
                emitted > 0 ? 1000 * bufferDelay / emitted : 0, video == null ? 0 : video.freezeCount());
    }

    private static MediaStats.Rtp kind(List<MediaStats.Rtp> streams, boolean video) {
        return streams.stream().filter(video ? MediaStats.Rtp::video : MediaStats.Rtp::audio).findFirst().orElse(null);
    }

    private static long delta(MediaStats.Rtp now, MediaStats.Rtp before,
            ToLongFunction<MediaStats.Rtp> counter) {
        if (now == null) {
            return 0;
        }
        return counter.applyAsLong(now) - (before == null ? 0 : counter.applyAsLong(before));
    }

    private static long sum(List<MediaStats.Rtp> streams) {
        return streams.stream().mapToLong(MediaStats.Rtp::bytes).sum();
    }

    static ReceivedMedia received(JsonNode o) {
        return new ReceivedMedia(o.path("video_frames").asLong(), o.path("width").asInt(), o.path("height").asInt(),
                o.path("resolution_changes").asInt(), o.path("audio_samples").asLong());
    }

    private static String describe(Plan plan) {
        List<String> parts = new ArrayList<>();
        if (plan.video() != null) {
            VideoSpec v = plan.video();
            parts.add("video " + v.width() + "x" + v.height() + "@" + v.fps()
                    + (v.codec() == null ? "" : " " + v.codec()) + (v.layers() > 1 ? " simulcast " + v.layers() : ""));
        }
        if (plan.audio() != null) {
            parts.add("audio" + (plan.audio().codec() == null ? "" : " " + plan.audio().codec()));
        }
        return String.join(" and ", parts) + String.format(Locale.ROOT, " for %.0f s", plan.seconds());
    }

    private static void sleepUntil(long deadlineNanos) throws RtcatException {
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted during the media check");
            }
        }
    }
}
