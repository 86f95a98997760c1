package io.rtcat.diagnostics;

import java.util.List;
import java.util.Map;

/**
 * What a media check measured: the per-second rows, the summary of each kind, and the verdict.
 *
 * @param seconds   the rows, one per second of the run
 * @param video     null when no video was sent
 * @param audio     null when no audio was sent
 * @param estimate  the bandwidth estimate's ramp-up and plateau; null when libwebrtc reported none
 * @param layers    the sender's encodings (more than one with simulcast)
 * @param simulcastNote why fewer layers came out than asked for; null when all did or none were asked for
 * @param verdict   the plain-language verdict and its grade
 */
public record MediaReport(double durationSeconds, List<MediaSecond> seconds, Video video, Audio audio,
        Estimate estimate, List<MediaLayer> layers, String simulcastNote, MediaVerdict verdict) {

    public MediaReport {
        seconds = List.copyOf(seconds);
        layers = List.copyOf(layers);
    }

    /**
     * @param codecAsked         --codec, or null for libwebrtc's choice
     * @param codecSent          what the encoder ran, from the sender's stats
     * @param codecReceived      what the receiver decoded
     * @param settledKbps        median received bitrate over the last third of the run
     * @param resolutionChanges  how often the received frame size changed
     * @param lossPercent        packets lost over all packets, as the receiver counts them
     * @param qualityLimitation  the reason the encoder spent the most time limited by, "none" if it never was
     * @param qualityLimitationSeconds seconds per reason, as the sender's stats give them
     */
    public record Video(String codecAsked, String codecSent, String codecReceived, String encoder, String decoder,
            int askedWidth, int askedHeight, int askedFps, long framesEncoded, long framesReceived,
            long framesDecoded, long framesDropped, long framesDelivered, double receivedFps, int width, int height,
            int resolutionChanges, double sentKbps, double receivedKbps, double settledKbps, long packetsLost,
            double lossPercent, long nacks, long plis, long firs, double jitterMillis, double jitterBufferMillis,
            long freezes, double freezeSeconds, String qualityLimitation,
            Map<String, Double> qualityLimitationSeconds) {
    }

    /**
     * @param concealmentPercent share of played-out samples the receiver had to invent (packet-loss concealment)
     */
    public record Audio(String codecAsked, String codecSent, String codecReceived, double sentKbps,
            double receivedKbps, long packetsReceived, long packetsLost, double lossPercent, double jitterMillis,
            double concealmentPercent, long samplesDelivered) {
    }

    /**
     * @param rampSeconds    seconds until the estimate first reached 90% of its plateau; null if it never did
     * @param toOneMbitSeconds seconds until it first reached 1 Mbit/s; null if it never did
     * @param plateauKbps    median over the last third of the run
     * @param maxKbps        highest estimate seen
     */
    public record Estimate(Double rampSeconds, Double toOneMbitSeconds, double plateauKbps, double maxKbps) {
    }
}
