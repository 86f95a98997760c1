package io.rtcat.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The WebTorrent tracker WebSocket protocol, as far as rtcat uses it: announces carrying WebRTC offers, the
 * offers the tracker forwards from other peers of the swarm, and the answers it relays back.
 *
 * <pre>
 *   A -> tracker  {action:announce, info_hash, peer_id:A, numwant, offers:[{offer_id, offer:{type,sdp}}]}
 *   tracker -> B  {action:announce, info_hash, peer_id:A, offer_id, offer:{type,sdp}}     (offer i to peer i)
 *   B -> tracker  {action:announce, info_hash, peer_id:B, to_peer_id:A, offer_id, answer:{type,sdp}}
 *   tracker -> A  {action:announce, info_hash, peer_id:B, offer_id, answer:{type,sdp}}
 * </pre>
 *
 * Ids ({@code info_hash}, {@code peer_id}, {@code offer_id}) are JSON strings of exactly 20 characters, which the
 * reference server reads as latin-1 bytes; rtcat only uses URL-safe Base64 ids (ASCII), so they survive any
 * server's re-encoding. Everything from a tracker is untrusted: {@link #parse} turns anything that is not a
 * well-formed forwarded offer or answer for our swarm into null.
 */
public final class TrackerMessages {

    /** Length of every id the protocol carries. */
    public static final int ID_LENGTH = 20;

    /**
     * Most offers per announce: the reference server takes up to 82, aquatic_ws (behind several public trackers)
     * only 10.
     */
    public static final int MAX_OFFERS = 10;

    /** Largest SDP accepted from a tracker: a data-channel description with candidates is 1-3 KB. */
    public static final int MAX_SDP_CHARS = 12 * 1024;

    /**
     * Largest announce sent: aquatic_ws refuses messages over about 16 KiB.
     */
    public static final int MAX_ANNOUNCE_CHARS = 16 * 1024 - 512;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{" + ID_LENGTH + "}");

    /** An offer we send. */
    public record Offer(String offerId, String sdp) {
    }

    /** What a tracker sent that concerns us: an offer forwarded from a peer, or a peer's answer to our offer. */
    public record Event(Kind kind, String peerId, String offerId, String sdp) {
        public enum Kind {
            OFFER,
            ANSWER
        }
    }

    private TrackerMessages() {
    }

    /** Whether {@code id} is a protocol id rtcat would send (20 URL-safe Base64 characters). */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * An announce with offers; offers that would push the message over {@link #MAX_ANNOUNCE_CHARS} (or past
     * {@link #MAX_OFFERS}) are left out.
     */
    public static String announce(String infoHash, String peerId, List<Offer> offers) {
        requireId(infoHash, "info_hash");
        requireId(peerId, "peer_id");
        ObjectNode m = Json.object();
        m.put("action", "announce");
        m.put("info_hash", infoHash);
        m.put("peer_id", peerId);
        m.put("numwant", 0);
        m.put("uploaded", 0);
        m.put("downloaded", 0);
        m.put("left", 0);
        ArrayNode list = m.putArray("offers");
        int size = m.toString().length();
        for (Offer o : offers) {
            if (list.size() == MAX_OFFERS) {
                break;
            }
            requireId(o.offerId(), "offer_id");
            ObjectNode entry = Json.object();
            entry.put("offer_id", o.offerId());
            ObjectNode sdp = entry.putObject("offer");
            sdp.put("type", "offer");
            sdp.put("sdp", o.sdp());
            int add = entry.toString().length() + 1;
            if (size + add > MAX_ANNOUNCE_CHARS) {
                break;
            }
            size += add;
            list.add(entry);
        }
        m.put("numwant", list.size());
        return m.toString();
    }

    /** The offers {@link #announce} actually put into the message (a prefix of what it was given). */
    public static int offersIn(String announce) {
        try {
            JsonNode offers = Json.read(announce).get("offers");
            return offers == null ? 0 : offers.size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Our answer to {@code toPeerId}'s offer {@code offerId}. */
    public static String answer(String infoHash, String peerId, String toPeerId, String offerId, String sdp) {
        requireId(infoHash, "info_hash");
        requireId(peerId, "peer_id");
        requireId(toPeerId, "to_peer_id");
        requireId(offerId, "offer_id");
        ObjectNode m = Json.object();
        m.put("action", "announce");
        m.put("info_hash", infoHash);
        m.put("peer_id", peerId);
        m.put("to_peer_id", toPeerId);
        m.put("offer_id", offerId);
        ObjectNode a = m.putObject("answer");
        a.put("type", "answer");
        a.put("sdp", sdp);
        return m.toString();
    }

    /**
     * A forwarded offer or an answer for swarm {@code infoHash} from someone other than {@code ownPeerId}; null
     * for anything else (announce responses, failure reasons, garbage, other swarms, oversized or ill-typed
     * fields).
     */
    public static Event parse(String text, String infoHash, String ownPeerId) {
        if (text == null || text.length() > MAX_SDP_CHARS + 2048) {
            return null;
        }
        JsonNode m;
        try {
            m = Json.read(text);
        } catch (Exception e) {
            return null;
        }
        if (m == null || !m.isObject() || !"announce".equals(text(m, "action"))
                || !infoHash.equals(text(m, "info_hash"))) {
            return null;
        }
        String peer = text(m, "peer_id");
        String offerId = text(m, "offer_id");
        if (!isId(peer) || !isId(offerId) || peer.equals(ownPeerId)) {
            return null;
        }
        JsonNode offer = m.get("offer");
        JsonNode answer = m.get("answer");
        if (offer != null && answer == null) {
            String sdp = description(offer, "offer");
            return sdp == null ? null : new Event(Event.Kind.OFFER, peer, offerId, sdp);
        }
        if (answer != null && offer == null) {
            String sdp = description(answer, "answer");
            return sdp == null ? null : new Event(Event.Kind.ANSWER, peer, offerId, sdp);
        }
        return null;
    }

    /** The tracker's {@code failure reason}, if the message is one, else null. */
    public static String failureReason(String text) {
        try {
            JsonNode m = Json.read(text);
            String reason = m != null && m.isObject() ? text(m, "failure reason") : null;
            return reason == null ? null : reason.length() > 120 ? reason.substring(0, 120) + "…" : reason;
        } catch (Exception e) {
            return null;
        }
    }

    private static String description(JsonNode d, String type) {
        if (!d.isObject() || !type.equals(text(d, "type"))) {
            return null;
        }
        String sdp = text(d, "sdp");
        return sdp == null || sdp.isEmpty() || sdp.length() > MAX_SDP_CHARS ? null : sdp;
    }

    private static String text(JsonNode m, String field) {
        JsonNode v = m.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static void requireId(String id, String what) {
        if (!isId(id)) {
            throw new IllegalArgumentException(what + " must be 20 URL-safe Base64 characters");
        }
    }
}
