package io.rtcat.peer;

import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Pushes generated I420 frames into a {@link CustomVideoSource} at a fixed rate. The picture is a noisy texture
 * that scrolls, with a bright square crossing it: detailed and moving, so an encoder needs about as many bits as
 * for a real camera scene with motion, and the bitrate follows the bandwidth estimate instead of idling.
 */
final class SyntheticVideo implements AutoCloseable {

    private final CustomVideoSource source = new CustomVideoSource();
    private final int width;
    private final int height;
    private final int fps;
    private final byte[] texture;
    private final byte[] row;
    private final Metronome metronome = new Metronome("rtcat-video-source");
    private long frameNumber;

    SyntheticVideo(int width, int height, int fps) {
        this.width = width;
        this.height = height;
        this.fps = fps;
        // Twice as wide as the frame so a window of it can scroll sideways: diagonal bands with film-grain-like
        // noise (camera-like detail; pure noise would make every encoder starve), fixed seed for comparable runs.
        this.texture = new byte[2 * width * height];
        Random random = new Random(42);
        for (int line = 0; line < height; line++) {
            for (int x = 0; x < 2 * width; x++) {
                double band = Math.sin((x + line) * 2 * Math.PI / 96) * 50 + Math.sin(x * 2 * Math.PI / 37) * 20;
                texture[line * 2 * width + x] = (byte) Math.max(16, Math.min(235, 128 + band + random.nextInt(25) - 12));
            }
        }
        this.row = new byte[width];
    }

    CustomVideoSource source() {
        return source;
    }

    void start() {
        metronome.start(this::pushFrame, 1_000_000_000L / fps);
    }

    private void pushFrame() {
        try {
            NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
            paint(buffer, frameNumber++);
            VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
            source.pushFrame(frame);
            frame.release();
        } catch (RuntimeException | Error e) {
            // The source is going away (close raced with a frame); the next tick is cancelled.
        }
    }

    private void paint(NativeI420Buffer buffer, long n) {
        ByteBuffer y = buffer.getDataY();
        int strideY = buffer.getStrideY();
        int shift = (int) ((n * 4) % width);
        int boxSize = Math.max(8, height / 4);
        int boxX = (int) ((n * 6) % Math.max(1, width - boxSize));
        int boxY = (int) ((n * 3) % Math.max(1, height - boxSize));
        for (int line = 0; line < height; line++) {
            System.arraycopy(texture, line * 2 * width + shift, row, 0, width);
            if (line >= boxY && line < boxY + boxSize) {
                Arrays.fill(row, boxX, boxX + boxSize, (byte) 235);
            }
            y.put(line * strideY, row, 0, width);
        }
        int chromaWidth = (width + 1) / 2;
        int chromaHeight = (height + 1) / 2;
        fill(buffer.getDataU(), buffer.getStrideU(), chromaWidth, chromaHeight, (byte) (128 + 40 * Math.sin(n / 30.0)));
        fill(buffer.getDataV(), buffer.getStrideV(), chromaWidth, chromaHeight, (byte) (128 + 40 * Math.cos(n / 45.0)));
    }

    private void fill(ByteBuffer plane, int stride, int w, int h, byte value) {
        Arrays.fill(row, 0, w, value);
        for (int line = 0; line < h; line++) {
            plane.put(line * stride, row, 0, w);
        }
    }

    @Override
    public void close() {
        metronome.close();
    }

    /** After the peer connection is closed: frees the native source. */
    void dispose() {
        source.dispose();
    }
}
