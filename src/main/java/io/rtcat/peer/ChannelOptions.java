package io.rtcat.peer;

import io.rtcat.errors.RtcatException;
import java.nio.charset.StandardCharsets;

/**
 * Data-channel options, checked in Java first: libwebrtc 0.14.0 crashes the JVM on several invalid
 * combinations (both reliability limits at once, a duplicate or out-of-range negotiated id).
 *
 * @param maxRetransmits    null for fully reliable
 * @param maxPacketLifeTime milliseconds, null for fully reliable
 * @param negotiatedId      null for in-band negotiation; otherwise both sides create the channel with this id
 */
public record ChannelOptions(String label, boolean ordered, Integer maxRetransmits, Integer maxPacketLifeTime,
        Integer negotiatedId) {

    /** libwebrtc negotiates 1024 SCTP streams, so ids above 1023 cannot open. */
    public static final int MAX_STREAM_ID = 1023;

    public static ChannelOptions reliable(String label) {
        return new ChannelOptions(label, true, null, null, null);
    }

    public boolean isReliable() {
        return maxRetransmits == null && maxPacketLifeTime == null;
    }

    public void validate() throws RtcatException {
        if (label == null || label.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw usage("the channel label must be at most 65535 bytes");
        }
        if (maxRetransmits != null && maxPacketLifeTime != null) {
            throw usage("--max-retransmits and --max-packet-lifetime cannot be combined: pick one");
        }
        if (maxRetransmits != null && (maxRetransmits < 0 || maxRetransmits > 65535)) {
            throw usage("--max-retransmits " + maxRetransmits + " is outside 0-65535");
        }
        if (maxPacketLifeTime != null && (maxPacketLifeTime < 0 || maxPacketLifeTime > 65535)) {
            throw usage("--max-packet-lifetime " + maxPacketLifeTime + " is outside 0-65535 ms");
        }
        if (negotiatedId != null && (negotiatedId < 0 || negotiatedId > MAX_STREAM_ID)) {
            throw usage("--negotiated-id " + negotiatedId + " is outside 0-" + MAX_STREAM_ID);
        }
    }

    private static RtcatException usage(String message) {
        return new RtcatException(RtcatException.Kind.USAGE, "invalid data-channel options: " + message);
    }
}
