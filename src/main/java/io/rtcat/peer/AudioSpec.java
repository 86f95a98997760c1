package io.rtcat.peer;

/**
 * A synthetic audio track to send: a tone sweep, 48 kHz mono.
 *
 * @param codec         preferred codec name (opus), or null for libwebrtc's default
 * @param maxBitrateBps cap on the encoder's bitrate, or 0 for none
 */
public record AudioSpec(String codec, int maxBitrateBps) {

    public AudioSpec {
        if (maxBitrateBps < 0) {
            throw new IllegalArgumentException("max bitrate must not be negative: " + maxBitrateBps);
        }
    }
}
