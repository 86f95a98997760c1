package io.rtcat.stats;

/**
 * Where the time to connect went, as consecutive phases in milliseconds (they add up to {@link #totalMillis()}):
 *
 * @param signalingMillis from the start (before the signaling socket opened) until offer and answer were
 *                        exchanged: includes waiting for the other side and, with a code phrase, the PAKE
 * @param iceDtlsMillis   until ICE found a working pair and the DTLS handshake over it finished (connection
 *                        state connected). One phase because libwebrtc (webrtc-java 0.14) delivers its ICE
 *                        "connected" event only after the connection's, so the two cannot be told apart
 * @param channelMillis   until the data channel was open (SCTP association and, with a code phrase, the
 *                        fingerprint proof)
 */
public record ConnectTimings(long signalingMillis, long iceDtlsMillis, long channelMillis) {

    public long totalMillis() {
        return signalingMillis + iceDtlsMillis + channelMillis;
    }

    /**
     * Phases from event times (System.nanoTime); an event never seen (0) counts as happening together with the
     * next one, so the phases stay non-negative and still add up.
     */
    public static ConnectTimings of(long startNanos, long describedNanos, long connectedNanos, long openNanos) {
        long[] marks = {startNanos, describedNanos, connectedNanos, openNanos};
        for (int i = marks.length - 2; i >= 1; i--) {
            if (marks[i] == 0 || marks[i] - marks[i + 1] > 0) {
                marks[i] = marks[i + 1];
            }
        }
        for (int i = 1; i < marks.length; i++) {
            if (marks[i] - marks[i - 1] < 0) {
                marks[i] = marks[i - 1];
            }
        }
        return new ConnectTimings(ms(marks[1] - marks[0]), ms(marks[2] - marks[1]), ms(marks[3] - marks[2]));
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
