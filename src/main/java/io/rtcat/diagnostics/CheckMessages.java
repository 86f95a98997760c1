package io.rtcat.diagnostics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.json.Fields;
import io.rtcat.json.Mappers;
import io.rtcat.json.PeerText;

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
 *
 * <p>The codec is pure: {@link #encode} and {@link #decode} over the sealed {@link Message} records. Decoding
 * validates every field a record carries (required or optional, type and range) and fails with a
 * {@link RtcatException.Kind#PROTOCOL} error; types it does not know, and text that is not a typed JSON object
 * (a late pong on the reliable channel), decode to {@link Unknown}, which both sides ignore, so that an old
 * responder keeps serving a newer checker. Text the peer chose (reasons, error messages) is sanitised.
 */
public final class CheckMessages {

    public static final int VERSION = 1;

    /** The stream id of the ping channel (any free id works; both sides use the one the checker names). */
    public static final int PING_CHANNEL_ID = 1000;

    /** The longest peer-chosen reason or error message shown (an error line, not a page). */
    static final int MAX_REASON_CHARS = 300;

    private static final int MAX_STREAM_ID = 65534;
    private static final String HINT = "use the same rtcat version on both sides";

    private CheckMessages() {
    }

    /** Any decoded control message. */
    public sealed interface Message permits CheckHello, PingChannel, PingChannelReady, Sink, SinkEnd, SinkResult,
            Source, SourceEnd, MediaOffer, MediaAnswer, MediaCandidate, MediaFigures, MediaEnd, Bye, Cancel,
            CheckError, Unknown {
    }

    /** Both greetings; only the responder's carries its time limit per check ({@code max_seconds}). */
    public record CheckHello(int version, Long maxSeconds) implements Message {
        public static CheckHello checker() {
            return new CheckHello(VERSION, null);
        }

        public static CheckHello responder(long maxSeconds) {
            return new CheckHello(VERSION, maxSeconds);
        }
    }

    /** The checker opens the unreliable ping channel with stream id {@code id}. */
    public record PingChannel(int id) implements Message {
    }

    public record PingChannelReady(int id) implements Message {
    }

    /** An upload starts: count the binary messages that follow. */
    public record Sink() implements Message {
    }

    public record SinkEnd() implements Message {
    }

    /** What the responder counted of an upload, and how long it took from sink to sink-end. */
    public record SinkResult(long bytes, long nanos) implements Message {
    }

    /** Asks for {@code bytes} of filler, or for as much as fits in {@code seconds} when bytes is 0. */
    public record Source(long bytes, double seconds) implements Message {
    }

    /** The responder's download is over; {@code bytes} went out. */
    public record SourceEnd(long bytes) implements Message {
    }

    public record MediaOffer(String sdp) implements Message {
    }

    public record MediaAnswer(String sdp) implements Message {
    }

    /** A trickled candidate of the media connection; an empty candidate is the end-of-candidates marker. */
    public record MediaCandidate(String candidate, String mid, Integer index) implements Message {
    }

    /**
     * The responder's view of the media it receives, cumulative (see {@link MediaStats#wire}).
     *
     * @param received what arrived on its tracks (an object; null when absent)
     * @param inbound  its inbound-rtp stats (a list; null when absent)
     */
    public record MediaFigures(boolean last, JsonNode received, JsonNode inbound) implements Message {
    }

    public record MediaEnd() implements Message {
    }

    public record Bye() implements Message {
    }

    /** This side stops on purpose (Ctrl-C, SIGTERM); {@code reason} is a short phrase like "interrupted". */
    public record Cancel(String reason) implements Message {
    }

    /** The responder ends the check for {@code message}, then closes. */
    public record CheckError(String message) implements Message {
    }

    /** A newer side's message, or text that is not a typed JSON object ({@code type} empty); ignored. */
    public record Unknown(String type) implements Message {
    }

    public static String encode(Message message) {
        ObjectNode o = Mappers.JSON.createObjectNode();
        if (message instanceof CheckHello m) {
            o.put("type", "check-hello").put("version", m.version());
            if (m.maxSeconds() != null) {
                o.put("max_seconds", m.maxSeconds());
            }
        } else if (message instanceof PingChannel m) {
            o.put("type", "ping-channel").put("id", m.id());
        } else if (message instanceof PingChannelReady m) {
            o.put("type", "ping-channel-ready").put("id", m.id());
        } else if (message instanceof Sink) {
            o.put("type", "sink");
        } else if (message instanceof SinkEnd) {
            o.put("type", "sink-end");
        } else if (message instanceof SinkResult m) {
            o.put("type", "sink-result").put("bytes", m.bytes()).put("nanos", m.nanos());
        } else if (message instanceof Source m) {
            o.put("type", "source");
            if (m.bytes() > 0) {
                o.put("bytes", m.bytes());
            } else {
                o.put("seconds", m.seconds());
            }
        } else if (message instanceof SourceEnd m) {
            o.put("type", "source-end").put("bytes", m.bytes());
        } else if (message instanceof MediaOffer m) {
            o.put("type", "media-offer").put("sdp", m.sdp());
        } else if (message instanceof MediaAnswer m) {
            o.put("type", "media-answer").put("sdp", m.sdp());
        } else if (message instanceof MediaCandidate m) {
            o.put("type", "media-candidate").put("candidate", m.candidate()).put("mid", m.mid());
            if (m.index() != null) {
                o.put("index", m.index());
            }
        } else if (message instanceof MediaFigures m) {
            o.put("type", "media-stats").put("final", m.last());
            o.set("received", m.received());
            o.set("inbound", m.inbound());
        } else if (message instanceof MediaEnd) {
            o.put("type", "media-end");
        } else if (message instanceof Bye) {
            o.put("type", "bye");
        } else if (message instanceof Cancel m) {
            o.put("type", "cancel").put("reason", m.reason());
        } else if (message instanceof CheckError m) {
            o.put("type", "check-error").put("message", m.message());
        } else if (message instanceof Unknown m) {
            o.put("type", m.type());
        } else {
            throw new IllegalArgumentException("no encoding for " + message);
        }
        return o.toString();
    }

    /**
     * Parses one control message.
     *
     * @throws RtcatException ({@link RtcatException.Kind#PROTOCOL}) when a known type has a missing or invalid field
     */
    public static Message decode(String text) throws RtcatException {
        JsonNode root = Fields.typedObject(text);
        if (root == null) {
            return new Unknown("");
        }
        String type = root.get("type").asText();
        Fields f = Fields.of(root, type, HINT);
        return switch (type) {
            case "check-hello" -> new CheckHello(f.requiredInt("version", 0, Integer.MAX_VALUE),
                    f.optionalCount("max_seconds"));
            case "ping-channel" -> new PingChannel(f.requiredInt("id", 0, MAX_STREAM_ID));
            case "ping-channel-ready" -> new PingChannelReady(f.requiredInt("id", 0, MAX_STREAM_ID));
            case "sink" -> new Sink();
            case "sink-end" -> new SinkEnd();
            case "sink-result" -> new SinkResult(f.requiredCount("bytes"), f.requiredCount("nanos"));
            case "source" -> source(f);
            case "source-end" -> new SourceEnd(f.requiredCount("bytes"));
            case "media-offer" -> new MediaOffer(f.requiredText("sdp"));
            case "media-answer" -> new MediaAnswer(f.requiredText("sdp"));
            case "media-candidate" -> new MediaCandidate(orEmpty(f.optionalText("candidate")),
                    f.optionalText("mid"), f.optionalInt("index", 0, MAX_STREAM_ID));
            case "media-stats" -> new MediaFigures(f.optionalBoolean("final"), f.optionalObject("received"),
                    f.optionalArray("inbound"));
            case "media-end" -> new MediaEnd();
            case "bye" -> new Bye();
            case "cancel" -> new Cancel(peerText(f.textOr("reason", "no reason given")));
            case "check-error" -> new CheckError(peerText(f.textOr("message", "no reason given")));
            default -> new Unknown(PeerText.echo(type));
        };
    }

    private static Source source(Fields f) throws RtcatException {
        Long bytes = f.optionalCount("bytes");
        Double seconds = f.optionalAmount("seconds");
        if ((bytes == null || bytes == 0) && seconds == null) {
            throw f.invalid("source message without \"bytes\" or \"seconds\"");
        }
        return new Source(bytes == null ? 0 : bytes, seconds == null ? 0 : seconds);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String peerText(String text) {
        return PeerText.sanitize(text, MAX_REASON_CHARS);
    }
}
