package io.rtcat.peer;

import dev.onvoid.webrtc.media.audio.CustomAudioSource;

/**
 * Pushes a 48 kHz mono tone sweeping 200 Hz to 2 kHz and back every 4 s, in 10 ms blocks (what libwebrtc's audio
 * pipeline works in), into a {@link CustomAudioSource}. A sweep keeps the encoder busy the way speech does, where a
 * constant tone or silence would let it coast.
 */
final class SyntheticAudio implements AutoCloseable {

    static final int SAMPLE_RATE = 48_000;
    private static final int FRAMES_PER_BLOCK = SAMPLE_RATE / 100;

    private final CustomAudioSource source = new CustomAudioSource();
    private final byte[] block = new byte[FRAMES_PER_BLOCK * 2];
    private final Metronome metronome = new Metronome("rtcat-audio-source");
    private Runnable beforeEachBlock = () -> { };
    private double phase;
    private long sample;

    CustomAudioSource source() {
        return source;
    }

    /** Runs {@code beforeEachBlock} on the generator thread right before every push, then pushes every 10 ms. */
    void start(Runnable beforeEachBlock) {
        this.beforeEachBlock = beforeEachBlock;
        metronome.start(this::pushBlock, 10_000_000L);
    }

    private void pushBlock() {
        for (int i = 0; i < FRAMES_PER_BLOCK; i++, sample++) {
            double t = (sample % (4L * SAMPLE_RATE)) / (double) SAMPLE_RATE;
            double frequency = 200 + 1800 * (t < 2 ? t / 2 : (4 - t) / 2);
            phase += 2 * Math.PI * frequency / SAMPLE_RATE;
            short value = (short) (Math.sin(phase) * 8000);
            block[2 * i] = (byte) value;
            block[2 * i + 1] = (byte) (value >> 8);
        }
        phase %= 2 * Math.PI;
        try {
            beforeEachBlock.run();
            source.pushAudio(block, 16, SAMPLE_RATE, 1, FRAMES_PER_BLOCK);
        } catch (RuntimeException | Error e) {
            // Closing raced with a block.
        }
    }

    @Override
    public void close() {
        metronome.close();
    }

    void dispose() {
        source.dispose();
    }
}
