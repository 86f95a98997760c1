package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
