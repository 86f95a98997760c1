package io.rtcat.cli;

import io.rtcat.diagnostics.MediaCheck;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.AudioSpec;
import io.rtcat.peer.VideoSpec;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code rtcat check --media ...}: what synthetic media to send and how. */
final class MediaOptions {

    static final double DEFAULT_SECONDS = 10;
    private static final Pattern RESOLUTION = Pattern.compile("([0-9]{2,4})x([0-9]{2,4})");
    private static final Pattern BITRATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([kKmM]?)");

    @Option(names = "--media", paramLabel = "KIND", completionCandidates = CompletionValues.MediaKinds.class,
            converter = Kind.class,
            description = "Check call quality instead of data throughput: send synthetic video, audio or both "
                    + "over real RTP/SRTP for --duration (default 10 s) and report bandwidth estimate, bitrate, "
                    + "frames, loss, jitter and a verdict.")
    String kind;

    @Option(names = "--codec", paramLabel = "NAME", completionCandidates = CompletionValues.Codecs.class,
            description = "Prefer this codec: VP8, VP9, H264 or AV1 for video, opus for audio (default: "
                    + "libwebrtc's order). The report names what was negotiated.")
    String codec;

    @Option(names = "--resolution", paramLabel = "WxH", defaultValue = "1280x720", converter = Resolution.Converter.class,
            description = "Synthetic video size (default: ${DEFAULT-VALUE}).")
    Resolution resolution;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "30", converter = Fps.class,
            description = "Synthetic video frame rate, 1-60 (default: ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--max-bitrate", paramLabel = "RATE", converter = MaxBitrate.class,
            description = "Cap the encoder at RATE bits/s: 300k, 2.5M... (with --simulcast: the top layer; lower "
                    + "layers get half each step down).")
    Double maxBitrate;

    @Option(names = "--simulcast", paramLabel = "N", converter = Simulcast.class,
            description = "Send N=3 encodings at full, 1/2 and 1/4 size and report each layer.")
    Integer simulcast;

    @Option(names = "--min-bitrate", paramLabel = "RATE", converter = Bitrate.class,
            description = "Fail with exit code 88 if the settled received bitrate (video, or audio alone) is "
                    + "below RATE bits/s: 500k, 1.5M...")
    Double minBitrate;

    boolean requested() {
        return kind != null;
    }

    /**
     * The media plan, or null without --media. Each value was checked while parsing; what is left are the
     * combinations: every media flag without --media, a codec the media kind does not send, simulcast rules.
     */
    MediaCheck.Plan plan(Double duration) throws RtcatException {
        if (kind == null) {
            if (codec != null || maxBitrate != null || simulcast != null || minBitrate != null) {
                throw UsageErrors.error("--codec, --max-bitrate, --simulcast and --min-bitrate need --media "
                        + "video|audio|both");
            }
            return null;
        }
        boolean video = kind.equals("video") || kind.equals("both");
        boolean audio = kind.equals("audio") || kind.equals("both");
        boolean opus = codec != null && codec.equalsIgnoreCase("opus");
        if (codec != null && !opus && !video) {
            throw UsageErrors.error("--codec " + codec + " is a video codec but --media " + kind + " sends no video");
        }
        if (opus && !audio) {
            throw UsageErrors.error("--codec opus is an audio codec but --media " + kind + " sends no audio");
        }
        if (simulcast != null && !video) {
            throw UsageErrors.error("--simulcast needs video (--media video or both)");
        }
        if (simulcast != null && (resolution.width() % 8 != 0 || resolution.height() % 8 != 0)) {
            throw UsageErrors.error("--simulcast needs a --resolution divisible by 8 (quarter-size layer), not "
                    + resolution);
        }
        int cap = maxBitrate == null ? 0 : (int) (double) maxBitrate;
        double seconds = duration == null ? DEFAULT_SECONDS : duration;
        if (seconds < 2) {
            throw UsageErrors.error("a media check needs --duration of at least 2 seconds");
        }
        VideoSpec videoSpec = video ? new VideoSpec(opus ? null : codec, resolution.width(), resolution.height(),
                fps, cap, simulcast == null ? 1 : simulcast) : null;
        AudioSpec audioSpec = audio ? new AudioSpec(opus ? "opus" : null, video ? 0 : cap) : null;
        return new MediaCheck.Plan(videoSpec, audioSpec, seconds);
    }

    /** --min-bitrate in kbit/s, or null. */
    Double minBitrateKbps() {
        return minBitrate == null ? null : minBitrate / 1000;
    }

    /** "300k" = 300000, "2.5M" = 2500000, "64000" = 64000 bits per second. */
    static double bitrate(String value) {
        Matcher m = BITRATE.matcher(value.trim());
        if (!m.matches()) {
            throw new Converters.Invalid("expected bits per second like 300k or 2.5M");
        }
        double n = Double.parseDouble(m.group(1));
        double bits = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n * 1e3;
            case "m" -> n * 1e6;
            default -> n;
        };
        if (!(bits > 0) || bits > 1e9) {
            throw new Converters.Invalid("must be above 0 and at most 1000M");
        }
        return bits;
    }

    static final class Kind implements ITypeConverter<String> {
        @Override
        public String convert(String v) {
            if (!v.equals("video") && !v.equals("audio") && !v.equals("both")) {
                throw new Converters.Invalid("must be video, audio or both");
            }
            return v;
        }
    }

    /** WIDTHxHEIGHT, both even, from 16x16 to 3840x2160. */
    record Resolution(int width, int height) {
        static final class Converter implements ITypeConverter<Resolution> {
            @Override
            public Resolution convert(String v) {
                Matcher size = RESOLUTION.matcher(v);
                if (!size.matches()) {
                    throw new Converters.Invalid("expected WIDTHxHEIGHT, e.g. 1280x720");
                }
                int width = Integer.parseInt(size.group(1));
                int height = Integer.parseInt(size.group(2));
                if (width < 16 || height < 16 || width > 3840 || height > 2160 || width % 2 != 0
                        || height % 2 != 0) {
                    throw new Converters.Invalid("both sides even, from 16x16 to 3840x2160");
                }
                return new Resolution(width, height);
            }
        }

        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    static final class Fps extends Converters.IntRange {
        Fps() {
            super(1, 60, "must be 1-60");
        }
    }

    static final class Simulcast extends Converters.IntRange {
        Simulcast() {
            super(3, 3, "only 3 layers (full, 1/2, 1/4) are supported");
        }
    }

    static final class Bitrate implements ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            return bitrate(v);
        }
    }

    static final class MaxBitrate implements ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            double bits = bitrate(v);
            if (bits < 10_000) {
                throw new Converters.Invalid("at least 10k");
            }
            return bits;
        }
    }
}
