package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BrowserLinkTest {

    @Test
    void theLinkIsTheSignalingAddressOverHttpWithTheCodeInTheFragment() {
        assertEquals("http://192.0.2.10:8765/#7-crossbow-orbit",
                BrowserLink.of(URI.create("ws://192.0.2.10:8765/"), "7-crossbow-orbit"));
        assertEquals("http://host:8765/#7-a-b", BrowserLink.of(URI.create("ws://host:8765"), "7-a-b"));
        assertEquals("https://signal.example.org/rtcat/?token=v1.x#7-a-b",
                BrowserLink.of(URI.create("wss://signal.example.org/rtcat/?token=v1.x"), "7-a-b"));
        assertEquals("http://[2001:db8::1]:80/#7-a-b", BrowserLink.of(URI.create("ws://[2001:db8::1]:80/"), "7-a-b"));
        assertNull(BrowserLink.of(URI.create("tcp://host:1/"), "7-a-b"));
    }

    @Test
    void aPlainHttpPageFromAnotherServerGetsNoLink() {
        String text = BrowserLink.announcement(URI.create("ws://192.0.2.10:8765/"), "7-a-b", false);
        assertFalse(text.contains("#7-a-b"), text);
        assertTrue(text.startsWith("(no browser link: the page would come over plain http from 192.0.2.10"), text);
        // not even for a LAN address: someone else's server may serve any script
        assertFalse(BrowserLink.announcement(URI.create("ws://10.0.0.5:8765/"), "7-a-b", false).contains("#7-a-b"));
    }

    @Test
    void anHttpsPageGetsTheLinkAndSaysWhomItTrusts() {
        String text = BrowserLink.announcement(URI.create("wss://signal.example.org/"), "7-a-b", false);
        assertTrue(text.contains("  https://signal.example.org/#7-a-b\n"), text);
        assertTrue(text.contains("trust it as you trust the server"), text);
    }

    @Test
    void theSendersOwnServerGetsTheLinkOnlyAtAPrivateAddress() {
        for (String lan : new String[] {"10.1.2.3", "192.168.1.20", "172.16.0.1", "127.0.0.1", "169.254.3.4",
            "100.64.0.7", "[fd00::1]", "[fe80::1]"}) {
            String text = BrowserLink.announcement(URI.create("ws://" + lan + ":8765/"), "7-a-b", true);
            assertTrue(text.contains("open in a browser on this network:\n  http://" + lan + ":8765/#7-a-b"), text);
            assertTrue(text.contains("served by this rtcat over plain http"), text);
        }
        for (String pub : new String[] {"192.0.2.10", "8.8.8.8", "[2001:db8::1]", "host.example"}) {
            String text = BrowserLink.announcement(URI.create("ws://" + pub + ":8765/"), "7-a-b", true);
            assertFalse(text.contains("#7-a-b"), text);
        }
    }
}
