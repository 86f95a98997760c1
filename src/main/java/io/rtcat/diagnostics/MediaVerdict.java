package io.rtcat.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain answer of a media check: which kind of call the path carries. Thresholds (documented in the README),
 * applied to what the receiver got over the last third of the run, once the bandwidth estimate has ramped up:
 * <pre>
 *   grade   received video height   received bitrate   frame rate
 *   1080p   >= 1080                 >= 2500 kbit/s     >= 80% of --fps and >= 10
 *   720p    >= 720                  >= 1200 kbit/s     same
 *   360p    >= 360                  >= 400 kbit/s      same
 *   180p    any                     >= 120 kbit/s      >= 10 fps
 * </pre>
 * Packet loss from 3% or freezes over 10% of the time lower the grade by one step; 8% loss or more (audio: 10%, or
 * 15% of samples concealed) makes that kind unusable. Video below 180p with working audio is "audio".
 *
 * @param grade   unusable, audio, 180p, 360p, 720p or 1080p (ordered: see {@link #atLeast})
 * @param text    one line, e.g. "good for 720p30 video, audio good"
 */
public record MediaVerdict(String grade, String text) {

    public static final List<String> GRADES = List.of("unusable", "audio", "180p", "360p", "720p", "1080p");

    static final double DEGRADING_LOSS = 3;
    static final double UNUSABLE_VIDEO_LOSS = 8;
    static final double UNUSABLE_AUDIO_LOSS = 10;
    static final double UNUSABLE_CONCEALMENT = 15;
    static final double FREEZE_SHARE = 0.10;

    public boolean atLeast(String wanted) {
        return GRADES.indexOf(grade) >= GRADES.indexOf(wanted);
    }

    static MediaVerdict of(MediaReport.Video video, MediaReport.Audio audio, double seconds) {
        String audioProblem = audio == null ? null : audioProblem(audio);
        String audioText = audio == null ? null : audioProblem == null ? (audio.lossPercent() >= DEGRADING_LOSS
                ? String.format(Locale.ROOT, "audio usable (%.1f%% loss)", audio.lossPercent()) : "audio good")
                : "audio unusable: " + audioProblem;
        if (video == null) {
            return audioProblem == null ? new MediaVerdict("audio", "good for audio calls" + suffix(audioText, true))
                    : new MediaVerdict("unusable", "unusable: " + audioProblem);
        }
        if (video.framesDelivered() == 0 && video.framesDecoded() == 0) {
            return fallBack("no video arrived", audioProblem, audioText);
        }
        if (video.lossPercent() >= UNUSABLE_VIDEO_LOSS) {
            return fallBack(String.format(Locale.ROOT, "%.1f%% loss", video.lossPercent()), audioProblem, audioText);
        }
        int level = level(video);
        List<String> why = new ArrayList<>();
        if (video.lossPercent() >= DEGRADING_LOSS) {
            level--;
            why.add(String.format(Locale.ROOT, "%.1f%% loss", video.lossPercent()));
        }
        if (seconds > 0 && video.freezeSeconds() >= FREEZE_SHARE * seconds) {
            level--;
            why.add(String.format(Locale.ROOT, "frozen %.1f s", video.freezeSeconds()));
        }
        if (level < GRADES.indexOf("180p")) {
            String rate = String.format(Locale.ROOT, "%.0f kbit/s at %.0f fps", video.settledKbps(),
                    video.receivedFps());
            // Name the cause: too little video, or enough video spoilt by loss and freezes.
            return fallBack(why.isEmpty() ? "video gets " + rate
                    : "video suffers " + String.join(", ", why) + " (" + rate + ")", audioProblem, audioText);
        }
        String grade = GRADES.get(level);
        String text = "good for " + grade + Math.round(Math.min(video.receivedFps(), video.askedFps())) + " video"
                + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")") + suffix(audioText, false);
        return new MediaVerdict(grade, text);
    }

    /** The highest level whose height, bitrate and frame rate the received video met, or 1 (audio) if none. */
    private static int level(MediaReport.Video v) {
        double minFps = Math.max(10, 0.8 * v.askedFps());
        if (v.receivedFps() < 10) {
            return GRADES.indexOf("audio");
        }
        boolean fluid = v.receivedFps() >= minFps;
        if (fluid && v.height() >= 1080 && v.settledKbps() >= 2500) {
            return GRADES.indexOf("1080p");
        }
        if (fluid && v.height() >= 720 && v.settledKbps() >= 1200) {
            return GRADES.indexOf("720p");
        }
        if (fluid && v.height() >= 360 && v.settledKbps() >= 400) {
            return GRADES.indexOf("360p");
        }
        return v.settledKbps() >= 120 ? GRADES.indexOf("180p") : GRADES.indexOf("audio");
    }

    private static String audioProblem(MediaReport.Audio a) {
        if (a.packetsReceived() == 0) {
            return "no audio arrived";
        }
        if (a.lossPercent() >= UNUSABLE_AUDIO_LOSS) {
            return String.format(Locale.ROOT, "%.1f%% loss", a.lossPercent());
        }
        if (a.concealmentPercent() >= UNUSABLE_CONCEALMENT) {
            return String.format(Locale.ROOT, "%.0f%% of the sound concealed", a.concealmentPercent());
        }
        return null;
    }

    /** Video failed: the call is audio-only if audio was checked and works, else unusable. */
    private static MediaVerdict fallBack(String videoProblem, String audioProblem, String audioText) {
        if (audioText != null && audioProblem == null) {
            return new MediaVerdict("audio", "audio only: " + videoProblem);
        }
        return new MediaVerdict("unusable", "unusable: " + videoProblem
                + (audioProblem != null ? "; audio: " + audioProblem : ""));
    }

    private static String suffix(String audioText, boolean audioOnly) {
        if (audioText == null || audioOnly && audioText.equals("audio good")) {
            return "";
        }
        return audioOnly ? " (" + audioText + ")" : ", " + audioText;
    }
}
