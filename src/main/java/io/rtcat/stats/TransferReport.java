package io.rtcat.stats;

/**
 * The end-of-run report of one transfer, printed as an iperf3-like table or as JSON.
 *
 * @param connectMillis  from the start of signaling until the data channel opened
 * @param senderNanos    from file-start until the receiver confirmed the saved file
 * @param receiverNanos  from the first to the last byte written by the receiver
 * @param verified       the receiver checked the SHA-256 the sender computed
 * @param connection     path details from the sender's side, null if stats were unavailable
 */
public record TransferReport(String name, long bytes, String sha256, boolean verified, long connectMillis,
        long senderNanos, long receiverNanos, int chunkSize, long highWatermark, long window,
        ConnectionStats connection) {

    public double senderBytesPerSecond() {
        return Units.bytesPerSecond(bytes, senderNanos);
    }

    public double receiverBytesPerSecond() {
        return Units.bytesPerSecond(bytes, receiverNanos);
    }
}
