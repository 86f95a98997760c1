package io.rtcat.stats;

/**
 * What a peer connection says about its path, read from WebRTC stats.
 *
 * @param rttMillis  round-trip time on the selected pair (STUN consent checks), null if not measured yet; in
 *                   an end report the one read before data flowed (see {@link #since})
 * @param dtlsVersion e.g. "DTLS 1.2"
 * @param packetsSent packets this side sent on the selected pair (with SCTP's retransmissions); with the other
 *                    side's {@code packetsReceived} over the same interval, the path's loss
 */
public record ConnectionStats(Double rttMillis, CandidateInfo local, CandidateInfo remote, String dtlsVersion,
        String dtlsCipher, String dtlsRole, String iceRole, long bytesSent, long bytesReceived, long packetsSent,
        long packetsReceived) {

    /** Without packet counts (0). */
    public ConnectionStats(Double rttMillis, CandidateInfo local, CandidateInfo remote, String dtlsVersion,
            String dtlsCipher, String dtlsRole, String iceRole, long bytesSent, long bytesReceived) {
        this(rttMillis, local, remote, dtlsVersion, dtlsCipher, dtlsRole, iceRole, bytesSent, bytesReceived, 0, 0);
    }

    /**
     * The end report's view: path and counters from now, RTT and DTLS from {@code before} (read when the
     * channel had just opened). Read after the transfer, the RTT includes the transfer's own queues, and once
     * the peer has hung up libwebrtc no longer reports the DTLS version and cipher; the RTT before the data is
     * also the one {@code --streams auto} chose by, so the report and the choice agree.
     */
    public ConnectionStats since(ConnectionStats before) {
        if (before == null) {
            return this;
        }
        return new ConnectionStats(before.rttMillis != null ? before.rttMillis : rttMillis,
                local != null ? local : before.local, remote != null ? remote : before.remote,
                before.dtlsVersion != null ? before.dtlsVersion : dtlsVersion,
                before.dtlsCipher != null ? before.dtlsCipher : dtlsCipher,
                before.dtlsRole != null ? before.dtlsRole : dtlsRole, iceRole != null ? iceRole : before.iceRole,
                bytesSent, bytesReceived, packetsSent, packetsReceived);
    }

    /** "direct" when neither side relays, else "relay". */
    public String path() {
        boolean relay = (local != null && "relay".equals(local.type()))
                || (remote != null && "relay".equals(remote.type()));
        return relay ? "relay" : "direct";
    }
}
