package io.rtcat.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import java.util.Objects;

/**
 * One signaling message: an immutable JSON object with a string {@code type}.
 *
 * <p>Wire shapes (compatible with the common browser WebRTC tutorial protocol):
 * <pre>
 * {"type":"join","room":R,"userId":U}
 * {"type":"offer","sdp":{"type":"offer","sdp":"v=0..."},"target":U?,"sender":U?}
 * {"type":"answer","sdp":{"type":"answer","sdp":"v=0..."},"target":U?,"sender":U?}
 * {"type":"ice-candidate","candidate":{"candidate":"candidate:...","sdpMid":"0",
 *      "sdpMLineIndex":0,"usernameFragment":"..."},"target":U?,"sender":U?}
 * {"type":"leave"}
 * server: user-joined / user-left {"userId":U}, joined {"room","userId","users":[...],
 *         "iceServers":[{"urls":[...],"username","credential"}]? (with TURN credentials)},
 *         error {"code","message"}
 * </pre>
 * Any other type and any extra fields are allowed and kept. Accessors are null-safe: a field
 * that is absent, JSON null or of the wrong kind reads as {@code null}. Instances are
 * thread-safe because they are never mutated; {@code with...} methods return copies.
 */
public final class SignalMessage {

    public static final String JOIN = "join";
    public static final String LEAVE = "leave";
    public static final String OFFER = "offer";
    public static final String ANSWER = "answer";
    public static final String ICE_CANDIDATE = "ice-candidate";
    public static final String USER_JOINED = "user-joined";
    public static final String USER_LEFT = "user-left";
    /** Server acknowledgement of a successful join, sent only to the joiner (an rtcat extension). */
    public static final String JOINED = "joined";
    public static final String ERROR = "error";

    private final ObjectNode node;

    /** Takes ownership of {@code node}; callers must not keep a reference. */
    private SignalMessage(ObjectNode node) {
        this.node = node;
    }

    // ---------------------------------------------------------------- factories

    /** A message with only a type; add fields with {@link #with}. */
    public static SignalMessage of(String type) {
        requireText(type, "type");
        ObjectNode n = Json.object();
        n.put("type", type);
        return new SignalMessage(n);
    }

    /** Wraps a copy of {@code node}, which must have a string {@code type}. */
    public static SignalMessage of(ObjectNode node) {
        Objects.requireNonNull(node, "node");
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual() || t.asText().isEmpty()) {
            throw new IllegalArgumentException("signaling message needs a non-empty string type");
        }
        return new SignalMessage(node.deepCopy());
    }

    /**
     * Parses one message.
     *
     * @throws RtcatException PROTOCOL if the text is not a JSON object with a non-empty string type
     */
    public static SignalMessage parse(String json) throws RtcatException {
        if (json == null) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL, "malformed signaling message: null");
        }
        JsonNode tree;
        try {
            tree = Json.read(json);
        } catch (JsonProcessingException e) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL,
                    "malformed signaling message: " + Json.describe(e), null, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL,
                    "malformed signaling message: not a json object");
        }
        JsonNode t = tree.get("type");
        if (t == null || !t.isTextual() || t.asText().isEmpty()) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL,
                    "malformed signaling message: missing string field \"type\"");
        }
        return new SignalMessage((ObjectNode) tree);
    }

    public static SignalMessage join(String room, String userId) {
        requireText(room, "room");
        requireText(userId, "userId");
        ObjectNode n = Json.object();
        n.put("type", JOIN);
        n.put("room", room);
        n.put("userId", userId);
        n.put("v", SignalingProtocol.VERSION);
        return new SignalMessage(n);
    }

    public static SignalMessage leave() {
        return of(LEAVE);
    }

    /**
     * An offer: {@code {"type":"offer","sdp":{"type":sdpType,"sdp":sdp},"target":target}}.
     *
     * @param sdpType the RTCSessionDescription type, usually "offer"; null means "offer"
     * @param target  recipient user id, or null for everyone else in the room
     */
    public static SignalMessage offer(String sdpType, String sdp, String target) {
        return description(OFFER, sdpType, sdp, target);
    }

    /** An answer; {@code sdpType} null means "answer". See {@link #offer}. */
    public static SignalMessage answer(String sdpType, String sdp, String target) {
        return description(ANSWER, sdpType, sdp, target);
    }

    /**
     * An ICE candidate in browser {@code RTCIceCandidate.toJSON()} shape. Null {@code sdpMid},
     * {@code sdpMLineIndex} and {@code usernameFragment} are omitted; an empty candidate string
     * means end-of-candidates.
     */
    public static SignalMessage iceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex,
                                             String usernameFragment, String target) {
        Objects.requireNonNull(candidate, "candidate");
        ObjectNode c = Json.object();
        c.put("candidate", candidate);
        if (sdpMid != null) {
            c.put("sdpMid", sdpMid);
        }
        if (sdpMLineIndex != null) {
            c.put("sdpMLineIndex", sdpMLineIndex.intValue());
        }
        if (usernameFragment != null) {
            c.put("usernameFragment", usernameFragment);
        }
        ObjectNode n = Json.object();
        n.put("type", ICE_CANDIDATE);
        n.set("candidate", c);
        if (target != null) {
            n.put("target", target);
        }
        return new SignalMessage(n);
    }

    /** A server error message. */
    public static SignalMessage error(String code, String message) {
        requireText(code, "code");
        ObjectNode n = Json.object();
        n.put("type", ERROR);
        n.put("code", code);
        n.put("message", message == null ? "" : message);
        return new SignalMessage(n);
    }

    private static SignalMessage description(String type, String sdpType, String sdp, String target) {
        Objects.requireNonNull(sdp, "sdp");
        ObjectNode d = Json.object();
        d.put("type", sdpType == null ? type : sdpType);
        d.put("sdp", sdp);
        ObjectNode n = Json.object();
        n.put("type", type);
        n.set("sdp", d);
        if (target != null) {
            n.put("target", target);
        }
        return new SignalMessage(n);
    }

    // ---------------------------------------------------------------- accessors

    public String type() {
        return node.get("type").asText();
    }

    /** Who sent it, as stamped by the server on relayed messages; null otherwise. */
    public String sender() {
        return text(node, "sender");
    }

    /** The intended recipient, or null for everyone else in the room. */
    public String target() {
        return text(node, "target");
    }

    public String room() {
        return text(node, "room");
    }

    /** The {@code userId} field (join, user-joined, user-left, joined). */
    public String userId() {
        return text(node, "userId");
    }

    /** Error code of an {@code error} message. */
    public String code() {
        return text(node, "code");
    }

    /** Human-readable text of an {@code error} message. */
    public String errorMessage() {
        return text(node, "message");
    }

    /** The nested description's type for offer/answer ({@code sdp.type}). */
    public String sdpType() {
        return text(node.get("sdp"), "type");
    }

    /**
     * The SDP text of an offer/answer ({@code sdp.sdp}); also accepts the flat shape where
     * {@code sdp} is itself a string.
     */
    public String sdp() {
        JsonNode s = node.get("sdp");
        if (s != null && s.isTextual()) {
            return s.asText();
        }
        return text(s, "sdp");
    }

    /** The candidate line ({@code candidate.candidate}); also accepts a flat string. */
    public String candidate() {
        JsonNode c = node.get("candidate");
        if (c != null && c.isTextual()) {
            return c.asText();
        }
        return text(c, "candidate");
    }

    public String sdpMid() {
        return text(node.get("candidate"), "sdpMid");
    }

    /** {@code candidate.sdpMLineIndex}, or null when absent, null or not an integer. */
    public Integer sdpMLineIndex() {
        JsonNode c = node.get("candidate");
        if (c == null || !c.isObject()) {
            return null;
        }
        JsonNode i = c.get("sdpMLineIndex");
        if (i == null || !i.isIntegralNumber() || !i.canConvertToInt()) {
            return null;
        }
        return i.intValue();
    }

    public String usernameFragment() {
        return text(node.get("candidate"), "usernameFragment");
    }

    /**
     * A top-level scalar field as text (strings as-is, numbers and booleans in JSON notation);
     * null when absent, JSON null, an object or an array.
     */
    public String get(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isValueNode() || v.isNull()) {
            return null;
        }
        return v.asText();
    }

    /** A copy of any top-level field's value, or null when absent. */
    public JsonNode getNode(String field) {
        JsonNode v = node.get(field);
        return v == null ? null : v.deepCopy();
    }

    public boolean has(String field) {
        return node.has(field);
    }

    // ---------------------------------------------------------------- copies

    /** A copy with {@code field} set to a string; null removes the field. */
    public SignalMessage with(String field, String value) {
        Objects.requireNonNull(field, "field");
        ObjectNode n = node.deepCopy();
        if (value == null) {
            guardType(field);
            n.remove(field);
        } else {
            if (field.equals("type") && value.isEmpty()) {
                throw new IllegalArgumentException("type must not be empty");
            }
            n.put(field, value);
        }
        return new SignalMessage(n);
    }

    public SignalMessage with(String field, long value) {
        Objects.requireNonNull(field, "field");
        guardType(field);
        ObjectNode n = node.deepCopy();
        if (value == (int) value) {
            n.put(field, (int) value); // same node kind as parsing yields, so equals() round-trips
        } else {
            n.put(field, value);
        }
        return new SignalMessage(n);
    }

    public SignalMessage with(String field, boolean value) {
        Objects.requireNonNull(field, "field");
        guardType(field);
        ObjectNode n = node.deepCopy();
        n.put(field, value);
        return new SignalMessage(n);
    }

    /** A copy with {@code field} set to a copy of any JSON value; null removes the field. */
    public SignalMessage with(String field, JsonNode value) {
        Objects.requireNonNull(field, "field");
        guardType(field);
        ObjectNode n = node.deepCopy();
        if (value == null) {
            n.remove(field);
        } else {
            n.set(field, value.deepCopy());
        }
        return new SignalMessage(n);
    }

    /** A copy addressed to {@code target} (null: to everyone else in the room). */
    public SignalMessage withTarget(String target) {
        return with("target", target);
    }

    // ---------------------------------------------------------------- output

    /** Compact JSON text, as sent on the wire. */
    public String toJson() {
        return Json.write(node);
    }

    /** A mutable copy of the underlying object. */
    public ObjectNode toObjectNode() {
        return node.deepCopy();
    }

    /** The underlying object, without copying; package code must not mutate it. */
    ObjectNode node() {
        return node;
    }

    /** Equal when the JSON trees are equal (field order does not matter; number kinds do). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SignalMessage && ((SignalMessage) o).node.equals(node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    private static String text(JsonNode parent, String field) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode v = parent.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static void guardType(String field) {
        if (field.equals("type")) {
            throw new IllegalArgumentException("type must be a non-empty string");
        }
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
