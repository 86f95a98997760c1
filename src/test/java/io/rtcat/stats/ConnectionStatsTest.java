package io.rtcat.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectionStatsTest {

    private static final CandidateInfo HOST = new CandidateInfo("host", "udp", "10.99.0.1", 5000, null, null);
    private static final CandidateInfo RELAY = new CandidateInfo("relay", "udp", "203.0.113.2", 6000, "udp", null);

    /** Once the peer hung up, the transport forgets its DTLS parameters; the report keeps those from before. */
    @Test
    void theEndReportKeepsTheRttAndDtlsReadBeforeTheData() {
        ConnectionStats before = new ConnectionStats(0.4, HOST, HOST, "DTLS 1.2", "TLS_ECDHE", "client",
                "controlling", 100, 200);
        ConnectionStats after = new ConnectionStats(5.0, RELAY, HOST, null, null, null, "controlling", 9000, 9100);
        ConnectionStats report = after.since(before);
        assertEquals(0.4, report.rttMillis());
        assertEquals("DTLS 1.2", report.dtlsVersion());
        assertEquals("TLS_ECDHE", report.dtlsCipher());
        assertEquals("client", report.dtlsRole());
        assertEquals(RELAY, report.local());
        assertEquals(9000, report.bytesSent());
    }

    @Test
    void withoutAnEarlierReadingTheEndIsAllThereIs() {
        ConnectionStats after = new ConnectionStats(5.0, RELAY, HOST, "DTLS 1.2", "c", "server", "controlled", 1, 2);
        assertEquals(after, after.since(null));
    }

    @Test
    void anRttNotYetMeasuredBeforeTheDataFallsBackToTheEnd() {
        ConnectionStats before = new ConnectionStats(null, HOST, HOST, "DTLS 1.2", "c", "client", "x", 0, 0);
        ConnectionStats after = new ConnectionStats(3.0, HOST, HOST, "DTLS 1.2", "c", "client", "x", 5, 6);
        assertEquals(3.0, after.since(before).rttMillis());
    }
}
