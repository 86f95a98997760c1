package io.rtcat.diagnostics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The text messages of the check protocol, spoken on the data channel between {@code rtcat check} (checker) and
 * {@code rtcat respond} (responder). Binary messages carry only throughput filler. Version 1:
 *
 * <pre>
 *   checker                                   responder
 *   check-hello {version}            ->
 *                                    <-       check-hello {version, max_seconds}
 *   ping-channel {id}                ->       (opens its side of the negotiated unreliable channel)
 *                                    <-       ping-channel-ready {id}
 *   ping {seq, t}  (ping channel)    ->       (echoed at once as pong {seq, t} on the ping channel)
 *   sink {}  binary...  sink-end {}  ->
 *                                    <-       sink-result {bytes, nanos}   (counted by the responder)
 *   source {bytes | seconds}         ->
 *                                    <-       binary...  source-end {bytes}
 *   media-offer {sdp}                ->       (a second, media-only peer connection; see {@link MediaLink})
 *                                    <-       media-answer {sdp}
 *   media-candidate {candidate, mid, index}  <->  media-candidate {...}
 *                                    <-       media-stats {final, received, inbound: [...]}  (every second)
 *   media-end                        ->       (last media-stats has final: true; media connection closed)
 *   bye                              ->       (the responder closes and waits for the next check)
 *                                    <-       check-error {message}  (at any time, then it closes)
 *   cancel {reason}                  <->      (either side, at any time: it stops on purpose, e.g. Ctrl-C,
 *                                              and closes; the other stops at once)
 * </pre>
 *
 * Pings travel on their own unordered channel without retransmissions, so that the round trips are the path's
 * and a lost ping counts as lost; everything else is on the reliable channel the check connected with.
 * Pings keep the compact fixed format of {@link EchoProbe}, so that echoing one costs no JSON parsing.
 */
public final class CheckMessages {

    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CheckMessages() {
    }

    /** A parsed control message; {@code type} is empty for text that is not a JSON object with a type. */
    public record Message(String type, JsonNode body) {
        public long longField(String name, long otherwise) {
            JsonNode v = body.get(name);
            return v != null && v.canConvertToLong() ? v.asLong() : otherwise;
        }

        public String textField(String name) {
            JsonNode v = body.get(name);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    public static Optional<Message> parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject() || !node.path("type").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Message(node.get("type").asText(), node));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    public static String hello() {
        return write(object("check-hello").put("version", VERSION));
    }

    public static String helloReply(long maxSeconds) {
        return write(object("check-hello").put("version", VERSION).put("max_seconds", maxSeconds));
    }

    /** The stream id of the ping channel (any free id works; both sides use the one the checker names). */
    public static final int PING_CHANNEL_ID = 1000;

    public static String pingChannel(int id) {
        return write(object("ping-channel").put("id", id));
    }

    public static String pingChannelReady(int id) {
        return write(object("ping-channel-ready").put("id", id));
    }

    public static String sink() {
        return write(object("sink"));
    }

    public static String sinkEnd() {
        return write(object("sink-end"));
    }

    public static String sinkResult(long bytes, long nanos) {
        return write(object("sink-result").put("bytes", bytes).put("nanos", nanos));
    }

    /** Asks for {@code bytes} of filler, or for as much as fits in {@code seconds} when bytes is 0. */
    public static String source(long bytes, double seconds) {
        ObjectNode o = object("source");
        if (bytes > 0) {
            o.put("bytes", bytes);
        } else {
            o.put("seconds", seconds);
        }
        return write(o);
    }

    public static String sourceEnd(long bytes) {
        return write(object("source-end").put("bytes", bytes));
    }

    public static String mediaOffer(String sdp) {
        return write(object("media-offer").put("sdp", sdp));
    }

    public static String mediaAnswer(String sdp) {
        return write(object("media-answer").put("sdp", sdp));
    }

    public static String mediaCandidate(String candidate, String mid, Integer index) {
        ObjectNode o = object("media-candidate").put("candidate", candidate).put("mid", mid);
        if (index != null) {
            o.put("index", index);
        }
        return write(o);
    }

    /** The responder's view of the media it receives: cumulative counters, see {@link MediaStats#wire}. */
    public static String mediaStats(boolean last, JsonNode received, JsonNode inbound) {
        ObjectNode o = object("media-stats").put("final", last);
        o.set("received", received);
        o.set("inbound", inbound);
        return write(o);
    }

    public static String mediaEnd() {
        return write(object("media-end"));
    }

    public static String bye() {
        return write(object("bye"));
    }

    /** This side stops on purpose (Ctrl-C, SIGTERM); {@code reason} is a short phrase like "interrupted". */
    public static String cancel(String reason) {
        return write(object("cancel").put("reason", reason));
    }

    public static String error(String message) {
        return write(object("check-error").put("message", message));
    }

    private static ObjectNode object(String type) {
        return MAPPER.createObjectNode().put("type", type);
    }

    private static String write(ObjectNode node) {
        return node.toString();
    }
}
