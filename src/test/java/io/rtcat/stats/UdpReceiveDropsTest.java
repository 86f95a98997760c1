package io.rtcat.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UdpReceiveDropsTest {

    @Test
    void readsRcvbufErrorsByColumnName() {
        List<String> snmp = List.of(
                "Ip: Forwarding DefaultTTL",
                "Ip: 1 64",
                "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors",
                "Udp: 56878 25 5555 45204 5555 0 0",
                "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors",
                "UdpLite: 0 0 0 0 7");
        assertEquals(OptionalLong.of(5555), UdpReceiveDrops.parse(snmp, "RcvbufErrors"));
        assertEquals(OptionalLong.of(56878), UdpReceiveDrops.parse(snmp, "InDatagrams"));
    }

    @Test
    void missingOrOddInputMeansUnknown() {
        assertEquals(OptionalLong.empty(), UdpReceiveDrops.parse(List.of(), "RcvbufErrors"));
        assertEquals(OptionalLong.empty(), UdpReceiveDrops.parse(List.of("Udp: InDatagrams", "Udp: 5"), "RcvbufErrors"));
        assertEquals(OptionalLong.empty(), UdpReceiveDrops.parse(List.of("Udp: RcvbufErrors", "Udp: many"),
                "RcvbufErrors"));
    }

    @Test
    void thisLinuxKernelHasTheCounter() throws Exception {
        List<String> snmp = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp"));
        assertEquals(true, UdpReceiveDrops.parse(snmp, "RcvbufErrors").isPresent(), String.join("\n", snmp));
    }

    @Test
    void theWarningSaysWhatTheDropsCost() {
        assertEquals("the kernel dropped 500 of 10000 incoming UDP packets (5.0%) because receive buffers were "
                + "full (net.core.rmem_default = 212992 bytes): each loss costs the data channel a retransmission "
                + "and a slowdown, most on long paths", UdpReceiveDrops.describe(500, 9500, "212992"));
    }

    @Test
    void onlyASignificantShareIsWorthAWarning() {
        // Measured: loopback at full speed 387 of ~55,000 (0.7%); a 100 ms path 5555 of ~62,000 (9%).
        assertEquals(false, UdpReceiveDrops.worthWarning(387, 55_000));
        assertEquals(true, UdpReceiveDrops.worthWarning(5555, 56_878));
        assertEquals(false, UdpReceiveDrops.worthWarning(99, 100), "too few to matter");
        assertEquals(true, UdpReceiveDrops.worthWarning(100, 9_900));
        assertEquals(false, UdpReceiveDrops.worthWarning(0, 0));
    }
}
