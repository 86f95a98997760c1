package io.rtcat.diagnostics;

/**
 * One encoding the sender produced (one per simulcast layer), as the sender's stats show it over the whole run.
 *
 * @param rid     the layer's RTP stream id, or null when the encoding has none
 * @param active  whether the layer sent anything
 */
public record MediaLayer(String rid, int width, int height, double fps, double kbps, boolean active) {
}
