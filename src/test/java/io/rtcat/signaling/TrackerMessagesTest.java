package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerMessagesTest {

    private static final String SWARM = "AAAAAAAAAAAAAAAAAAAA";
    private static final String ME = "meMEmeMEmeMEmeMEmeME";
    private static final String PEER = "peer-PEER_peer-PEER_";
    private static final String OFFER_ID = "offer1offer1offer1of";
    private static final String SDP = "v=0\r\na=fingerprint:sha-256 AB:CD\r\n";

    @Test
    void anAnnounceCarriesTheOffersAsTheReferenceTrackerReadsThem() throws Exception {
        JsonNode m = Json.read(TrackerMessages.announce(SWARM, ME, List.of(new TrackerMessages.Offer(OFFER_ID, SDP))));
        assertEquals("announce", m.get("action").asText());
        assertEquals(SWARM, m.get("info_hash").asText());
        assertEquals(ME, m.get("peer_id").asText());
        assertEquals(1, m.get("numwant").asInt());
        assertEquals(OFFER_ID, m.get("offers").get(0).get("offer_id").asText());
        assertEquals("offer", m.get("offers").get(0).get("offer").get("type").asText());
        assertEquals(SDP, m.get("offers").get(0).get("offer").get("sdp").asText());
    }

    @Test
    void anAnnounceStaysWithinWhatAquaticWsAccepts() {
        List<TrackerMessages.Offer> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(new TrackerMessages.Offer(String.format("offer%015d", i), "x".repeat(3000)));
        }
        String m = TrackerMessages.announce(SWARM, ME, many);
        assertTrue(m.length() <= 16 * 1024, "length " + m.length());
        assertEquals(5, TrackerMessages.offersIn(m));
        List<TrackerMessages.Offer> small = many.stream().map(o -> new TrackerMessages.Offer(o.offerId(), "s")).toList();
        assertEquals(TrackerMessages.MAX_OFFERS, TrackerMessages.offersIn(TrackerMessages.announce(SWARM, ME, small)));
    }

    @Test
    void anAnswerNamesTheOffererAndItsOffer() throws Exception {
        JsonNode m = Json.read(TrackerMessages.answer(SWARM, ME, PEER, OFFER_ID, SDP));
        assertEquals(PEER, m.get("to_peer_id").asText());
        assertEquals(OFFER_ID, m.get("offer_id").asText());
        assertEquals("answer", m.get("answer").get("type").asText());
        assertThrows(IllegalArgumentException.class, () -> TrackerMessages.answer(SWARM, ME, "short", OFFER_ID, SDP));
    }

    @Test
    void forwardedOffersAndAnswersAreRecognised() {
        TrackerMessages.Event offer = TrackerMessages.parse(forwarded("offer", PEER, SWARM, OFFER_ID), SWARM, ME);
        assertEquals(new TrackerMessages.Event(TrackerMessages.Event.Kind.OFFER, PEER, OFFER_ID, SDP), offer);
        TrackerMessages.Event answer = TrackerMessages.parse(forwarded("answer", PEER, SWARM, OFFER_ID), SWARM, ME);
        assertEquals(TrackerMessages.Event.Kind.ANSWER, answer.kind());
    }

    @Test
    void garbageAndMessagesNotMeantForUsAreDropped() {
        for (String bad : List.of("", "null", "[]", "{", "{\"action\":\"announce\"}", "\"announce\"",
                "{\"action\":\"announce\",\"interval\":120,\"info_hash\":\"" + SWARM + "\"}",
                "{\"failure reason\":\"invalid info_hash\"}",
                forwarded("offer", PEER, "BBBBBBBBBBBBBBBBBBBB", OFFER_ID), // another swarm
                forwarded("offer", ME, SWARM, OFFER_ID), // ourselves, spoofed or echoed
                forwarded("offer", "short", SWARM, OFFER_ID),
                forwarded("offer", PEER, SWARM, "o\u00ff\u0001" + "x".repeat(17)), // a binary id
                forwarded("answer", PEER, SWARM, OFFER_ID).replace("\"type\":\"answer\"", "\"type\":\"offer\""),
                forwarded("offer", PEER, SWARM, OFFER_ID).replace(SDP.replace("\r\n", "\\r\\n"), "x".repeat(20000)),
                forwarded("offer", PEER, SWARM, OFFER_ID).replace("\"sdp\":", "\"sdp\":1,\"x\":"),
                "{\"action\":\"announce\",\"info_hash\":\"" + SWARM + "\",\"peer_id\":\"" + PEER
                        + "\",\"offer_id\":\"" + OFFER_ID + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\"a\"},"
                        + "\"answer\":{\"type\":\"answer\",\"sdp\":\"b\"}}")) {
            assertNull(TrackerMessages.parse(bad, SWARM, ME), bad);
        }
        assertEquals("invalid info_hash", TrackerMessages.failureReason("{\"failure reason\":\"invalid info_hash\"}"));
        assertNull(TrackerMessages.failureReason("nope"));
    }

    private static String forwarded(String kind, String peer, String swarm, String offerId) {
        return "{\"action\":\"announce\",\"info_hash\":\"" + swarm + "\",\"peer_id\":\"" + peer + "\",\"offer_id\":\""
                + offerId + "\",\"" + kind + "\":{\"type\":\"" + kind + "\",\"sdp\":\""
                + SDP.replace("\r\n", "\\r\\n") + "\"}}";
    }
}
