package io.rtcat.peer;

/**
 * A synthetic video track to send.
 *
 * @param codec         preferred codec name (VP8, VP9, H264, AV1), or null for libwebrtc's default order
 * @param width         frame width in pixels (even)
 * @param height        frame height in pixels (even)
 * @param fps           frames per second pushed into the encoder
 * @param maxBitrateBps cap on the encoder's bitrate (the top layer's with simulcast), or 0 for none
 * @param layers        1, or 3 for simulcast at full, 1/2 and 1/4 scale
 */
public record VideoSpec(String codec, int width, int height, int fps, int maxBitrateBps, int layers) {

    public VideoSpec {
        if (width < 16 || height < 16 || width > 3840 || height > 2160 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("video size must be even, 16x16 to 3840x2160: " + width + "x" + height);
        }
        if (fps < 1 || fps > 60) {
            throw new IllegalArgumentException("fps must be 1-60: " + fps);
        }
        if (maxBitrateBps < 0) {
            throw new IllegalArgumentException("max bitrate must not be negative: " + maxBitrateBps);
        }
        if (layers != 1 && layers != 3) {
            throw new IllegalArgumentException("simulcast layers must be 1 or 3: " + layers);
        }
    }
}
