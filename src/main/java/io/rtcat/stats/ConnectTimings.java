package io.rtcat.stats;

/**
 * Where the time to connect went, as consecutive phases in milliseconds (they add up to {@link #totalMillis()}):
 *
 * @param signalingMillis from the start (before the signaling socket opened) until offer and answer were
 *                        exchanged: includes waiting for the other side and, with a code phrase, the PAKE
 * @param iceMillis       until ICE found a working candidate pair (ICE state connected)
 * @param dtlsMillis      until the DTLS handshake finished (connection state connected)
 * @param channelMillis   until the data channel was open (SCTP association and, with a code phrase,
 *                        the fingerprint proof)
 */
public record ConnectTimings(long signalingMillis, long iceMillis, long dtlsMillis, long channelMillis) {

    public long totalMillis() {
        return signalingMillis + iceMillis + dtlsMillis + channelMillis;
    }

    /**
     * Phases from event times (System.nanoTime); an event never seen (0) counts as happening together with the
     * next one, so the phases stay non-negative and still add up.
     */
    public static ConnectTimings of(long startNanos, long describedNanos, long iceNanos, long dtlsNanos, long openNanos) {
        long[] marks = {startNanos, describedNanos, iceNanos, dtlsNanos, openNanos};
        for (int i = marks.length - 2; i >= 1; i--) {
            if (marks[i] == 0 || marks[i] > marks[i + 1]) {
                marks[i] = marks[i + 1];
            }
        }
        for (int i = 1; i < marks.length; i++) {
            marks[i] = Math.max(marks[i], marks[i - 1]);
        }
        return new ConnectTimings(ms(marks[1] - marks[0]), ms(marks[2] - marks[1]), ms(marks[3] - marks[2]),
                ms(marks[4] - marks[3]));
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
