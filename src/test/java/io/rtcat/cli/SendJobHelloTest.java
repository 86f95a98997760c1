package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.transfer.TransferDefaults;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sender's wait for the receiver's hello depends on whether the peer can be a page that never says one. */
class SendJobHelloTest {

    @Test
    void aPlainRoomWaitsBrieflyBecauseATutorialPageNeverSaysHello() {
        assertEquals(Duration.ofSeconds(2), SendJob.helloTimeout(null));
    }

    @Test
    void afterAPakeThePeerAlwaysSaysHelloSoABusyMachineGetsTime() throws Exception {
        for (String streams : new String[] {"auto", "1", "4"}) {
            assertEquals(TransferDefaults.KNOWN_PEER_HELLO_TIMEOUT, SendJob.helloTimeout(StreamsOption.parse(streams)),
                    streams);
        }
        assertEquals(Duration.ofSeconds(30), TransferDefaults.KNOWN_PEER_HELLO_TIMEOUT);
    }
}
