package io.rtcat.peer;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import io.rtcat.errors.RtcatException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Adds send-only synthetic video and/or audio to a peer connection before its offer is made, with the codec
 * preference and encodings asked for, and runs the generators.
 */
final class MediaSender implements AutoCloseable {

    /** Not media codecs but mechanisms that ride along with one: kept whatever codec is preferred. */
    private static final Set<String> COMPANIONS = Set.of("rtx", "red", "ulpfec", "flexfec-03");

    private final SyntheticVideo video;
    private final SyntheticAudio audio;
    private final List<Runnable> disposals = new ArrayList<>();

    private MediaSender(SyntheticVideo video, SyntheticAudio audio) {
        this.video = video;
        this.audio = audio;
    }

    static MediaSender add(PeerConnectionFactory factory, RTCPeerConnection pc, VideoSpec videoSpec,
                           AudioSpec audioSpec) throws RtcatException {
        List<RTCRtpCodecCapability> videoCodecs = videoSpec == null ? null
                : preferred(factory, MediaType.VIDEO, videoSpec.codec());
        List<RTCRtpCodecCapability> audioCodecs = audioSpec == null ? null
                : preferred(factory, MediaType.AUDIO, audioSpec.codec());
        SyntheticVideo video = videoSpec == null ? null
                : new SyntheticVideo(videoSpec.width(), videoSpec.height(), videoSpec.fps());
        SyntheticAudio audio = audioSpec == null ? null : new SyntheticAudio();
        MediaSender sender = new MediaSender(video, audio);
        try {
            if (video != null) {
                VideoTrack track = factory.createVideoTrack("rtcat-video", video.source());
                sender.disposals.add(track::dispose);
                RTCRtpTransceiver t = pc.addTransceiver(track, init(videoEncodings(videoSpec)));
                if (videoCodecs != null) {
                    t.setCodecPreferences(videoCodecs);
                }
            }
            if (audio != null) {
                AudioTrack track = factory.createAudioTrack("rtcat-audio", audio.source());
                sender.disposals.add(track::dispose);
                RTCRtpEncodingParameters encoding = new RTCRtpEncodingParameters();
                if (audioSpec.maxBitrateBps() > 0) {
                    encoding.maxBitrate = audioSpec.maxBitrateBps();
                }
                RTCRtpTransceiver t = pc.addTransceiver(track, init(List.of(encoding)));
                if (audioCodecs != null) {
                    t.setCodecPreferences(audioCodecs);
                }
            }
        } catch (RuntimeException | Error e) {
            sender.close();
            sender.dispose();
            throw new RtcatException(RtcatException.Kind.FAILED, "cannot add media tracks: " + e.getMessage(),
                    null, e);
        }
        if (video != null) {
            video.start();
        }
        return sender;
    }

    /**
     * Starts the audio generator, stopping the device module's capture before every block it pushes.
     * libwebrtc 0.14 (webrtc-java #217) starts the factory's audio device capture whenever an audio send stream
     * starts and feeds it into every send stream, so a pushed source is fed from two threads and the process
     * aborts ("race_checker ... audio_send_stream.cc"). Stopping once was not enough: under packet loss the capture
     * came back (seen in the lab about one run in four). Stopping joins the capture thread and costs nothing when
     * capture is off, and the dummy device's first block after a restart comes 10 ms later, long after the push.
     */
    void startAudio(AudioDeviceModuleBase deviceModule) {
        if (audio != null) {
            audio.start(() -> {
                try {
                    deviceModule.stopRecording();
                } catch (RuntimeException | Error ignored) {
                    // Not recording: nothing to stop.
                }
            });
        }
    }

    /** Codec names the sender can encode, of one kind ("video" or "audio"), without the companions. */
    static List<String> available(PeerConnectionFactory factory, MediaType type) {
        Set<String> names = new LinkedHashSet<>();
        for (RTCRtpCodecCapability c : factory.getRtpSenderCapabilities(type).getCodecs()) {
            if (!COMPANIONS.contains(c.getName().toLowerCase(Locale.ROOT))) {
                names.add(c.getName());
            }
        }
        return List.copyOf(names);
    }

    private static RTCRtpTransceiverInit init(List<RTCRtpEncodingParameters> encodings) {
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
        init.streamIds = List.of("rtcat");
        init.sendEncodings = encodings;
        return init;
    }

    /**
     * One encoding, or three from a quarter to full size (the usual low-to-high order); the cap applies to the top
     * layer, halved below. A receiver that declines simulcast gets the first, smallest one: libwebrtc 0.14 then
     * sent nothing at all when the first was full size, since no padding probes the estimate up to its minimum.
     */
    private static List<RTCRtpEncodingParameters> videoEncodings(VideoSpec spec) {
        List<RTCRtpEncodingParameters> encodings = new ArrayList<>();
        for (int layer = spec.layers() - 1; layer >= 0; layer--) {
            RTCRtpEncodingParameters e = new RTCRtpEncodingParameters();
            e.scaleResolutionDownBy = (double) (1 << layer);
            e.maxFramerate = (double) spec.fps();
            if (spec.maxBitrateBps() > 0) {
                e.maxBitrate = spec.maxBitrateBps() >> layer;
            }
            encodings.add(e);
        }
        return encodings;
    }

    /** The chosen codec's entries (every profile of it) first, then the companions; null keeps the default. */
    private static List<RTCRtpCodecCapability> preferred(PeerConnectionFactory factory, MediaType type,
                                                          String codec) throws RtcatException {
        if (codec == null) {
            return null;
        }
        List<RTCRtpCodecCapability> all = factory.getRtpSenderCapabilities(type).getCodecs();
        List<RTCRtpCodecCapability> chosen = new ArrayList<>();
        for (RTCRtpCodecCapability c : all) {
            if (c.getName().equalsIgnoreCase(codec)) {
                chosen.add(c);
            }
        }
        if (chosen.isEmpty()) {
            throw new RtcatException(RtcatException.Kind.USAGE, "codec " + codec + " is not available for "
                    + type.name().toLowerCase(Locale.ROOT), "this build offers: "
                    + String.join(", ", available(factory, type)));
        }
        for (RTCRtpCodecCapability c : all) {
            if (COMPANIONS.contains(c.getName().toLowerCase(Locale.ROOT))) {
                chosen.add(c);
            }
        }
        return chosen;
    }

    /** Stops the generators; call before the connection closes. */
    @Override
    public void close() {
        if (video != null) {
            video.close();
        }
        if (audio != null) {
            audio.close();
        }
    }

    /** Frees tracks and sources; call after the connection has closed. */
    void dispose() {
        for (Runnable r : disposals) {
            try {
                r.run();
            } catch (RuntimeException | Error ignored) {
                // Already released natively.
            }
        }
        disposals.clear();
        if (video != null) {
            video.dispose();
        }
        if (audio != null) {
            audio.dispose();
        }
    }
}
