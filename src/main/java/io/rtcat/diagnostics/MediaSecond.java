package io.rtcat.diagnostics;

/**
 * One second of a media check. Rates are over the second that ended at {@code t}; the receiving side's figures
 * come from the latest report the responder sent, so they may lag the sender's by up to a second.
 *
 * @param t                   seconds since the media connection came up
 * @param estimateKbps        the sender's bandwidth estimate (availableOutgoingBitrate), null if not reported
 * @param sentKbps            RTP payload bitrate sent, all tracks
 * @param targetKbps          what the video encoder was asked for (top layer), 0 without video
 * @param receivedVideoKbps   video bitrate that arrived
 * @param receivedAudioKbps   audio bitrate that arrived
 * @param sentFps             frames per second encoded (top layer)
 * @param receivedFps         frames per second decoded by the receiver
 * @param width               received frame width, 0 before any
 * @param height              received frame height
 * @param qualityLimitation   why the encoder holds back: none, bandwidth, cpu or other (null without video)
 * @param lossPercent         packets lost in this second, all tracks, as the receiver counts them
 * @param nacks               NACKs the receiver sent in this second
 * @param plis                PLIs the receiver sent in this second
 * @param jitterMillis        video (or audio) interarrival jitter at the receiver
 * @param jitterBufferMillis  average jitter-buffer delay of what the receiver played out in this second
 * @param freezes             video freezes so far (cumulative)
 */
public record MediaSecond(int t, Double estimateKbps, double sentKbps, double targetKbps, double receivedVideoKbps,
        double receivedAudioKbps, double sentFps, double receivedFps, int width, int height, String qualityLimitation,
        double lossPercent, long nacks, long plis, double jitterMillis, double jitterBufferMillis, long freezes) {
}
