package io.rtcat.peer;

import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.util.ArrayList;
import java.util.List;

/** Counting sinks on every remote track of one peer connection; see {@link ReceivedMedia}. */
final class MediaSinks implements VideoTrackSink, AudioTrackSink {

    private final List<Runnable> detach = new ArrayList<>();
    private long videoFrames;
    private int width;
    private int height;
    private int resolutionChanges;
    private long audioSamples;

    /** Called on the signaling thread when a remote track appears. */
    synchronized void attach(RTCRtpTransceiver transceiver) {
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        if (track instanceof VideoTrack video) {
            video.addSink(this);
            detach.add(() -> video.removeSink(this));
        } else if (track instanceof AudioTrack audio) {
            audio.addSink(this);
            detach.add(() -> audio.removeSink(this));
        }
    }

    /** The sink owns the frame it is given: without the release every decoded frame stays in native memory. */
    @Override
    public void onVideoFrame(VideoFrame frame) {
        try {
            int w = frame.buffer.getWidth();
            int h = frame.buffer.getHeight();
            synchronized (this) {
                if (videoFrames > 0 && (w != width || h != height)) {
                    resolutionChanges++;
                }
                videoFrames++;
                width = w;
                height = h;
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        synchronized (this) {
            audioSamples += frames;
        }
    }

    synchronized ReceivedMedia snapshot() {
        return new ReceivedMedia(videoFrames, width, height, resolutionChanges, audioSamples);
    }

    /** Before the connection closes, so no frame arrives in a sink that is going away. */
    void detachAll() {
        List<Runnable> all;
        synchronized (this) {
            all = new ArrayList<>(detach);
            detach.clear();
        }
        for (Runnable r : all) {
            try {
                r.run();
            } catch (RuntimeException | Error ignored) {
                // The track is already gone.
            }
        }
    }
}
