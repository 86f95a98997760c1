package io.rtcat.diagnostics;

import java.util.List;
import java.util.Map;

/** Media reports with chosen figures, for verdict, threshold and JSON tests. */
public final class MediaFixtures {

    private MediaFixtures() {
    }

    /** Received video of the given size, settled bitrate, frame rate and loss; 30 fps asked; no freezes. */
    public static MediaReport.Video video(int height, double settledKbps, double fps, double lossPercent) {
        return video(height, settledKbps, fps, lossPercent, 0);
    }

    public static MediaReport.Video video(int height, double settledKbps, double fps, double lossPercent,
            double freezeSeconds) {
        int width = height * 16 / 9;
        return new MediaReport.Video("VP8", "VP8", "VP8", "libvpx", "libvpx", 1280, 720, 30, 300, 298, 297, 1, 297,
                fps, width, height, 0, settledKbps, settledKbps, settledKbps, (long) lossPercent * 10, lossPercent, 4,
                1, 0, 3.5, 40, freezeSeconds > 0 ? 1 : 0, freezeSeconds, "bandwidth",
                Map.of("none", 6.0, "bandwidth", 4.0));
    }

    public static MediaReport.Audio audio(double lossPercent, double concealmentPercent) {
        return new MediaReport.Audio(null, "opus", "opus", 32, 31.5, 500, (long) (lossPercent * 5), lossPercent, 2.5,
                concealmentPercent, 480_000);
    }

    public static MediaReport report(MediaReport.Video video, MediaReport.Audio audio) {
        List<MediaSecond> rows = List.of(
                new MediaSecond(1, 300.0, 250, 300, 240, 32, 30, 29, 640, 360, "bandwidth", 0, 0, 0, 3, 20, 0),
                new MediaSecond(2, null, 1200, 1300, 1180, 31, 30, 30, 1280, 720, "none", 0.5, 2, 1, 4.5, 35, 0));
        return new MediaReport(10, rows, video, audio, new MediaReport.Estimate(2.0, 1.0, 2500, 2800),
                video == null ? List.of() : List.of(new MediaLayer(null, 1280, 720, 30, 1200, true)), null,
                MediaVerdict.of(video, audio, 10));
    }
}
