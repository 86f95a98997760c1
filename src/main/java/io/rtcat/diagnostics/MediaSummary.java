package io.rtcat.diagnostics;

import io.rtcat.peer.AudioSpec;
import io.rtcat.peer.ReceivedMedia;
import io.rtcat.peer.VideoSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** Turns the last snapshots and the per-second rows of a media check into its {@link MediaReport}. */
final class MediaSummary {

    private MediaSummary() {
    }

    /**
     * @param sent      the checker's outbound-rtp streams at the end
     * @param inbound   the responder's inbound-rtp streams at the end
     * @param received  what the responder's track sinks counted
     */
    static MediaReport summarize(VideoSpec videoSpec, AudioSpec audioSpec, double seconds, List<MediaSecond> rows,
            List<MediaStats.Rtp> sent, List<MediaStats.Rtp> inbound, ReceivedMedia received,
            boolean simulcastAccepted) {
        double secs = Math.max(seconds, 0.001);
        MediaReport.Video video = videoSpec == null ? null
                : video(videoSpec, secs, rows, sent, inbound, received);
        MediaReport.Audio audio = audioSpec == null ? null : audio(audioSpec, secs, sent, inbound, received);
        List<MediaLayer> layers = new ArrayList<>();
        sent.stream().filter(MediaStats.Rtp::video).sorted(Comparator.comparing(
                        (MediaStats.Rtp r) -> r.rid() == null ? "" : r.rid()).thenComparingLong(MediaStats.Rtp::ssrc))
                .forEach(r -> layers.add(new MediaLayer(r.rid(), r.width(), r.height(), r.framesEncoded() / secs,
                        kbps(r.bytes(), secs), r.bytes() > 0)));
        String simulcastNote = null;
        if (videoSpec != null && videoSpec.layers() > 1 && !simulcastAccepted) {
            simulcastNote = "the receiver declined simulcast (a WebRTC endpoint decodes one layer; simulcast needs an"
                    + " SFU between the peers), so only the first, quarter-size encoding was sent";
        } else if (videoSpec != null && videoSpec.layers() > 1) {
            long active = layers.stream().filter(MediaLayer::active).count();
            if (active < videoSpec.layers()) {
                simulcastNote = String.format(Locale.ROOT, "simulcast asked for %d layers but the sender produced %d"
                        + " (libwebrtc sends fewer layers when the bandwidth estimate or the codec cannot carry them)",
                        videoSpec.layers(), active);
            }
        }
        MediaReport.Estimate estimate = estimate(rows);
        return new MediaReport(seconds, rows, video, audio, estimate, layers, simulcastNote,
                MediaVerdict.of(video, audio, seconds));
    }

    private static MediaReport.Video video(VideoSpec spec, double secs, List<MediaSecond> rows,
            List<MediaStats.Rtp> sent, List<MediaStats.Rtp> inbound, ReceivedMedia received) {
        List<MediaStats.Rtp> out = sent.stream().filter(MediaStats.Rtp::video).toList();
        MediaStats.Rtp top = out.stream().max(Comparator.comparingInt(MediaStats.Rtp::width)
                .thenComparingLong(MediaStats.Rtp::bytes)).orElse(null);
        MediaStats.Rtp in = inbound.stream().filter(MediaStats.Rtp::video).findFirst().orElse(null);
        long sentBytes = out.stream().mapToLong(MediaStats.Rtp::bytes).sum();
        long framesEncoded = out.stream().mapToLong(MediaStats.Rtp::framesEncoded).sum();
        long lost = in == null ? 0 : Math.max(0, in.packetsLost());
        long packets = in == null ? 0 : in.packets();
        Map<String, Double> limited = top == null ? Map.of() : top.qualityLimitationDurations();
        String reason = limited.entrySet().stream().filter(e -> !e.getKey().equals("none") && e.getValue() > 0)
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("none");
        return new MediaReport.Video(spec.codec(), top == null ? null : top.codec(), in == null ? null : in.codec(),
                top == null ? null : top.implementation(), in == null ? null : in.implementation(),
                spec.width(), spec.height(), spec.fps(), framesEncoded,
                in == null ? 0 : in.framesReceived(), in == null ? 0 : in.framesDecoded(),
                in == null ? 0 : in.framesDropped(), received.videoFrames(),
                settled(rows, MediaSecond::receivedFps),
                in == null ? received.width() : in.width(), in == null ? received.height() : in.height(),
                received.resolutionChanges(), kbps(sentBytes, secs), in == null ? 0 : kbps(in.bytes(), secs),
                settled(rows, MediaSecond::receivedVideoKbps), lost, percent(lost, lost + packets),
                in == null ? 0 : in.nackCount(), in == null ? 0 : in.pliCount(), in == null ? 0 : in.firCount(),
                rows.stream().mapToDouble(MediaSecond::jitterMillis).average().orElse(0),
                in == null || in.jitterBufferEmitted() == 0 ? 0
                        : 1000 * in.jitterBufferDelaySeconds() / in.jitterBufferEmitted(),
                in == null ? 0 : in.freezeCount(), in == null ? 0 : in.freezeSeconds(), reason, limited);
    }

    private static MediaReport.Audio audio(AudioSpec spec, double secs, List<MediaStats.Rtp> sent,
            List<MediaStats.Rtp> inbound, ReceivedMedia received) {
        MediaStats.Rtp out = sent.stream().filter(MediaStats.Rtp::audio).findFirst().orElse(null);
        MediaStats.Rtp in = inbound.stream().filter(MediaStats.Rtp::audio).findFirst().orElse(null);
        long lost = in == null ? 0 : Math.max(0, in.packetsLost());
        long packets = in == null ? 0 : in.packets();
        return new MediaReport.Audio(spec.codec(), out == null ? null : out.codec(), in == null ? null : in.codec(),
                out == null ? 0 : kbps(out.bytes(), secs), in == null ? 0 : kbps(in.bytes(), secs), packets, lost,
                percent(lost, lost + packets), in == null ? 0 : 1000 * in.jitterSeconds(),
                in == null ? 0 : percent(in.concealedSamples(), in.totalSamples()), received.audioSamples());
    }

    private static MediaReport.Estimate estimate(List<MediaSecond> rows) {
        List<MediaSecond> withEstimate = rows.stream().filter(r -> r.estimateKbps() != null).toList();
        if (withEstimate.isEmpty()) {
            return null;
        }
        double plateau = settled(withEstimate, MediaSecond::estimateKbps);
        double max = withEstimate.stream().mapToDouble(MediaSecond::estimateKbps).max().orElse(0);
        return new MediaReport.Estimate(firstAt(withEstimate, 0.9 * plateau), firstAt(withEstimate, 1000),
                plateau, max);
    }

    private static Double firstAt(List<MediaSecond> rows, double kbps) {
        Optional<MediaSecond> first = rows.stream().filter(r -> r.estimateKbps() >= kbps).findFirst();
        return first.map(r -> (double) r.t()).orElse(null);
    }

    /** Median over the last third of the rows (at least one): the value once ramp-up is over. */
    static double settled(List<MediaSecond> rows, ToDoubleFunction<MediaSecond> value) {
        if (rows.isEmpty()) {
            return 0;
        }
        int from = rows.size() - Math.max(1, rows.size() / 3);
        double[] tail = rows.subList(from, rows.size()).stream().mapToDouble(value).sorted().toArray();
        int n = tail.length;
        return n % 2 == 1 ? tail[n / 2] : (tail[n / 2 - 1] + tail[n / 2]) / 2;
    }

    static double kbps(long bytes, double seconds) {
        return bytes * 8 / seconds / 1000;
    }

    private static double percent(long part, long whole) {
        return whole <= 0 ? 0 : 100.0 * part / whole;
    }
}
