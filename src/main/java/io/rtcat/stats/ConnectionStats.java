package io.rtcat.stats;

/**
 * What a peer connection says about its path, read from WebRTC stats.
 *
 * @param rttMillis  current round-trip time on the selected pair, null if not measured yet
 * @param dtlsVersion e.g. "DTLS 1.2"
 */
public record ConnectionStats(Double rttMillis, CandidateInfo local, CandidateInfo remote, String dtlsVersion,
        String dtlsCipher, String dtlsRole, String iceRole, long bytesSent, long bytesReceived) {

    /** "direct" when neither side relays, else "relay". */
    public String path() {
        boolean relay = (local != null && "relay".equals(local.type()))
                || (remote != null && "relay".equals(remote.type()));
        return relay ? "relay" : "direct";
    }
}
