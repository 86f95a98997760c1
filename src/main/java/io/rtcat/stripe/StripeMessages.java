package io.rtcat.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.json.Fields;
import io.rtcat.json.Mappers;
import io.rtcat.json.PeerText;

/**
 * The text messages of the stripe set-up ({@link Stripes} draws the exchange). Pure: {@link #encode} and
 * {@link #decode} over the sealed {@link Message} records, no I/O. Decoding validates each field a record carries
 * and fails with a {@link RtcatException.Kind#PROTOCOL} error naming the message and the field; a type this
 * version does not know decodes to {@link Unknown} (the set-up treats it as unexpected, see {@link Stripes});
 * text the peer chose ({@code why}, {@code reason}) is sanitised.
 */
public final class StripeMessages {

    /** The longest peer-chosen reason shown. */
    static final int MAX_REASON_CHARS = 200;

    private static final int MAX_INDEX = 65535;
    private static final String HINT = "is the peer running a compatible rtcat or page?";

    private StripeMessages() {
    }

    /** Any decoded set-up message. */
    public sealed interface Message permits Announce, StripeOffer, StripeAnswer, StripeCandidate, Ready, Abandon,
            Unsupported, ProbeReady, ProbeEnd, ProbeResult, Unknown {
    }

    /**
     * {@code stripes}: the sender asks for {@code count} stripes (1 or less: none) and says why. With {@code probe}
     * it first measures the main path's loss ({@link LossProbe}), and {@code count} is the most it may then ask for:
     * the {@link Ready} that ends the set-up says how many it took.
     */
    public record Announce(int count, String reason, boolean probe) implements Message {
        public Announce(int count, String reason) {
            this(count, reason, false);
        }
    }

    /** {@code stripes-probe-ready}: the receiver has noted its packet count; the probe's data may come. */
    public record ProbeReady() implements Message {
    }

    /** {@code stripes-probe-end}: the last of the probe's data went before this. */
    public record ProbeEnd() implements Message {
    }

    /**
     * {@code stripes-probe-result}: packets the receiver's side of the main path received during the probe, and
     * {@code packetsSent} those it sent (its acknowledgements; null from a receiver that does not say).
     */
    public record ProbeResult(long packets, Long packetsSent) implements Message {
    }

    /** {@code stripe-offer}: the sender's description of the extra connection for stripe {@code index}. */
    public record StripeOffer(int index, String sdpType, String sdp) implements Message {
    }

    /** {@code stripe-answer}: the receiver's description for stripe {@code index}. */
    public record StripeAnswer(int index, String sdpType, String sdp) implements Message {
    }

    /** {@code stripe-candidate}: a trickled ICE candidate of stripe {@code index}'s connection (either side). */
    public record StripeCandidate(int index, String candidate, String mid, Integer mline) implements Message {
    }

    /** {@code stripes-ready}: every extra channel is open; frames follow on all stripes. */
    public record Ready(int count) implements Message {
    }

    /** {@code stripes-abandon}: the extra connections did not open; the transfer goes on with the main channel. */
    public record Abandon(String why) implements Message {
    }

    /** {@code stripes-unsupported}: the receiver takes one connection only (the browser page); {@code why} may be null. */
    public record Unsupported(String why) implements Message {
    }

    /** A type this version does not know. */
    public record Unknown(String type) implements Message {
    }

    public static String encode(Message message) {
        ObjectNode o = Mappers.JSON.createObjectNode();
        if (message instanceof Announce m) {
            o.put("type", "stripes").put("count", m.count()).put("reason", m.reason());
            if (m.probe()) {
                o.put("probe", true);
            }
        } else if (message instanceof StripeOffer m) {
            o.put("type", "stripe-offer").put("index", m.index()).put("sdp_type", m.sdpType()).put("sdp", m.sdp());
        } else if (message instanceof StripeAnswer m) {
            o.put("type", "stripe-answer").put("index", m.index()).put("sdp_type", m.sdpType()).put("sdp", m.sdp());
        } else if (message instanceof StripeCandidate m) {
            o.put("type", "stripe-candidate").put("index", m.index()).put("candidate", m.candidate())
                    .put("mid", m.mid());
            if (m.mline() != null) {
                o.put("mline", m.mline());
            }
        } else if (message instanceof Ready m) {
            o.put("type", "stripes-ready").put("count", m.count());
        } else if (message instanceof Abandon m) {
            o.put("type", "stripes-abandon").put("why", m.why());
        } else if (message instanceof Unsupported m) {
            o.put("type", "stripes-unsupported");
            if (m.why() != null) {
                o.put("why", m.why());
            }
        } else if (message instanceof ProbeReady) {
            o.put("type", "stripes-probe-ready");
        } else if (message instanceof ProbeEnd) {
            o.put("type", "stripes-probe-end");
        } else if (message instanceof ProbeResult m) {
            o.put("type", "stripes-probe-result").put("packets", m.packets());
            if (m.packetsSent() != null) {
                o.put("packets_sent", m.packetsSent());
            }
        } else if (message instanceof Unknown m) {
            o.put("type", m.type());
        } else {
            throw new IllegalArgumentException("no encoding for " + message);
        }
        return o.toString();
    }

    /** Parses one set-up message; malformed text or invalid fields throw {@link RtcatException.Kind#PROTOCOL}. */
    public static Message decode(String text) throws RtcatException {
        JsonNode root = Fields.typedObject(text);
        if (root == null) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL,
                    "malformed message (not a JSON object with a type) while setting up stripes: " + PeerText.echo(text),
                    HINT);
        }
        String type = root.get("type").asText();
        Fields f = Fields.of(root, type, HINT);
        return switch (type) {
            case "stripes" -> new Announce(f.requiredInt("count", 0, Integer.MAX_VALUE),
                    reason(f.optionalText("reason"), ""), f.optionalBoolean("probe"));
            case "stripe-offer" -> new StripeOffer(f.requiredInt("index", 0, MAX_INDEX), f.requiredText("sdp_type"),
                    f.requiredText("sdp"));
            case "stripe-answer" -> new StripeAnswer(f.requiredInt("index", 0, MAX_INDEX),
                    f.requiredText("sdp_type"), f.requiredText("sdp"));
            case "stripe-candidate" -> new StripeCandidate(f.requiredInt("index", 0, MAX_INDEX),
                    orEmpty(f.optionalText("candidate")), f.optionalText("mid"), f.optionalInt("mline", 0, MAX_INDEX));
            case "stripes-ready" -> new Ready(f.requiredInt("count", 0, Integer.MAX_VALUE));
            case "stripes-abandon" -> new Abandon(reason(f.textOr("why", ""), ""));
            case "stripes-unsupported" -> new Unsupported(reason(f.textOr("why", null), null));
            case "stripes-probe-ready" -> new ProbeReady();
            case "stripes-probe-end" -> new ProbeEnd();
            case "stripes-probe-result" -> new ProbeResult(f.requiredCount("packets"),
                    f.optionalCount("packets_sent"));
            default -> new Unknown(PeerText.echo(type));
        };
    }

    private static String reason(String text, String absent) {
        return text == null ? absent : PeerText.sanitize(text, MAX_REASON_CHARS);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

}
