package io.rtcat.peer;

/**
 * What arrived on the remote media tracks and was handed to the application (after decoding), counted in the
 * tracks' sinks: independent of the stats, so a report can check one against the other.
 *
 * @param videoFrames       decoded video frames delivered
 * @param width             width of the last frame, 0 before any
 * @param height            height of the last frame, 0 before any
 * @param resolutionChanges times the frame size changed after the first frame
 * @param audioSamples      decoded audio samples delivered (per channel)
 */
public record ReceivedMedia(long videoFrames, int width, int height, int resolutionChanges, long audioSamples) {
}
