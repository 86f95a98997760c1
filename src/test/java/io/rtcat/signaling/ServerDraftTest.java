package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.HandshakeImpl1Client;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.junit.jupiter.api.Test;

class ServerDraftTest {

    @Test
    void acceptKeyIsRfc6455sExample() {
        // RFC 6455, section 1.3
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ServerDraft.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void httpDateIsImfFixdate() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", ServerDraft.httpDate(784_111_777L)); // RFC 9110's example
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", ServerDraft.httpDate(0));
        // any second agrees with java.time's own RFC 1123 formatter (which drops the day's leading zero)
        for (long s = 0; s < 4_000_000_000L; s += 86_399_937L) {
            String ours = ServerDraft.httpDate(s);
            ZonedDateTime t = ZonedDateTime.parse(ours, DateTimeFormatter.RFC_1123_DATE_TIME);
            assertEquals(Instant.ofEpochSecond(s), t.toInstant(), ours);
            assertEquals(DateTimeFormatter.RFC_1123_DATE_TIME.format(t.withZoneSameInstant(ZoneOffset.UTC)),
                    ours.replaceFirst(", 0", ", "), "at " + s);
        }
    }

    @Test
    void responseCarriesTheAcceptKeyAndADate() throws Exception {
        HandshakeImpl1Client request = new HandshakeImpl1Client();
        request.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        request.put("Connection", "Upgrade");
        HandshakeImpl1Server response = new HandshakeImpl1Server();
        new ServerDraft(1 << 16).postProcessHandshakeResponseAsServer(request, response);
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", response.getFieldValue("Sec-WebSocket-Accept"));
        assertEquals("websocket", response.getFieldValue("Upgrade"));
        assertEquals("Upgrade", response.getFieldValue("Connection"));
        assertTrue(response.getFieldValue("Date").endsWith(" GMT"), response.getFieldValue("Date"));
        assertEquals("", response.getFieldValue("Server"));
    }

    @Test
    void aRequestWithoutKeyIsRefused() {
        assertThrows(InvalidHandshakeException.class, () -> new ServerDraft(1 << 16)
                .postProcessHandshakeResponseAsServer(new HandshakeImpl1Client(), new HandshakeImpl1Server()));
    }

    @Test
    void copiesStayServerDraftsWithTheSameFrameLimit() {
        Draft copy = new ServerDraft(12_345).copyInstance();
        assertEquals(12_345, assertInstanceOf(ServerDraft.class, copy).getMaxFrameSize());
    }
}
