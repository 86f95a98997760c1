package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.signaling.SignalMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerIceServersTest {

    @Test
    void turnServersFromTheJoinAnswerCarryTheirCredentials() throws RtcatException {
        SignalMessage joined = SignalMessage.parse("{\"type\":\"joined\",\"room\":\"r\",\"userId\":\"u\",\"users\":[],"
                + "\"iceServers\":[{\"urls\":[\"turn:10.0.0.1:3478?transport=udp\",\"turn:10.0.0.1:3478?transport=tcp\"],"
                + "\"username\":\"1700000000:u\",\"credential\":\"c2VjcmV0\"},{\"urls\":\"stun:10.0.0.1\"}]}");
        List<String> notes = new ArrayList<>();
        List<IceServerUrl> servers = ServerIceServers.from(joined, notes::add);
        assertEquals(3, servers.size());
        assertEquals("turn:10.0.0.1:3478?transport=udp", servers.get(0).url());
        assertEquals("1700000000:u", servers.get(0).username());
        assertEquals("c2VjcmV0", servers.get(0).password());
        assertEquals("tcp", servers.get(1).transport());
        assertEquals("stun:10.0.0.1:3478", servers.get(2).url());
        assertTrue(notes.stream().noneMatch(n -> n.contains("c2VjcmV0")), notes.toString()); // never shown
    }

    @Test
    void unusableEntriesAreSkippedNotFatal() throws RtcatException {
        SignalMessage joined = SignalMessage.parse("{\"type\":\"joined\",\"iceServers\":[{\"urls\":[\"http://x\","
                + "\"turn:h:3478\"]},{\"urls\":\"turn:h:3478\",\"username\":\"a\",\"credential\":\"b\"},{},7]}");
        List<String> notes = new ArrayList<>();
        List<IceServerUrl> servers = ServerIceServers.from(joined, notes::add);
        assertEquals(1, servers.size()); // http: is not ICE, a turn: URL without credentials is unusable
        assertEquals("a", servers.get(0).username());
        assertEquals(2, notes.stream().filter(n -> n.startsWith("ignoring")).count(), notes.toString());
        assertEquals(0, ServerIceServers.from(SignalMessage.parse("{\"type\":\"joined\"}"), notes::add).size());
    }

    /** Before: every offered server was taken, so a hostile server could make each connection gather from thousands. */
    @Test
    void atMostEightServersAreTaken() throws RtcatException {
        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            urls.append(i == 0 ? "" : ",").append("\"turn:10.0.").append(i / 250).append('.').append(i % 250)
                    .append(":3478\"");
        }
        SignalMessage joined = SignalMessage.parse("{\"type\":\"joined\",\"iceServers\":[{\"urls\":[" + urls
                + "],\"username\":\"a\",\"credential\":\"b\"}]}");
        java.util.List<String> notes = new java.util.ArrayList<>();
        assertEquals(ServerIceServers.MAX_SERVERS, ServerIceServers.from(joined, notes::add).size());
        assertTrue(notes.get(notes.size() - 1).contains("past the first 8"), notes.toString());
    }
}
