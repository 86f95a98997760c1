package io.rtcat.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.errors.RtcatException;

/**
 * Typed, validated access to the fields of one decoded peer message, for the in-band codecs. A required field
 * that is absent, or any field of the wrong type or range, is a {@link RtcatException.Kind#PROTOCOL} error
 * naming the message type and the field ({@code stripe-offer message without "sdp"}); what the peer sent is
 * shown only through {@link PeerText#echo}. An absent or null optional field reads as null (or the fallback).
 */
public final class Fields {

    private final JsonNode root;
    private final String type;
    private final String hint;

    private Fields(JsonNode root, String type, String hint) {
        this.root = root;
        this.type = type;
        this.hint = hint;
    }

    /**
     * The JSON object in {@code text} when it is one with a text {@code type} field, else null (not JSON, another
     * value, no type): how every in-band codec starts reading a peer's message.
     */
    public static JsonNode typedObject(String text) {
        JsonNode root;
        try {
            root = Mappers.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        return root != null && root.isObject() && root.path("type").isTextual() ? root : null;
    }

    /** The fields of {@code root}, a message of {@code type}; errors carry {@code hint}. */
    public static Fields of(JsonNode root, String type, String hint) {
        return new Fields(root, type, hint);
    }

    public String requiredText(String field) throws RtcatException {
        return required(field, optionalText(field));
    }

    public String optionalText(String field) throws RtcatException {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(type + " message has a non-text \"" + field + "\"");
        }
        return node.asText();
    }

    /** Advisory text (reasons, error messages): a wrongly typed value is shown rather than rejected. */
    public String textOr(String field, String fallback) {
        JsonNode node = node(field);
        return node == null ? fallback : node.asText();
    }

    public long requiredCount(String field) throws RtcatException {
        return required(field, optionalCount(field));
    }

    /** A non-negative integer. */
    public Long optionalCount(String field) throws RtcatException {
        Long value = optionalLong(field);
        if (value != null && value < 0) {
            throw invalid(type + " message has a negative \"" + field + "\": " + value);
        }
        return value;
    }

    public Long optionalLong(String field) throws RtcatException {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid(type + " message has an invalid \"" + field + "\": " + PeerText.echo(node.toString()));
        }
        return node.longValue();
    }

    public int requiredInt(String field, int min, int max) throws RtcatException {
        return required(field, optionalInt(field, min, max));
    }

    /** An integer in {@code [min, max]}. */
    public Integer optionalInt(String field, int min, int max) throws RtcatException {
        Long value = optionalLong(field);
        if (value == null) {
            return null;
        }
        if (value < min || value > max) {
            throw invalid(type + " message has an out-of-range \"" + field + "\": " + value);
        }
        return value.intValue();
    }

    /** A finite, non-negative number (integral or not). */
    public Double optionalAmount(String field) throws RtcatException {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < 0) {
            throw invalid(type + " message has an invalid \"" + field + "\": " + PeerText.echo(node.toString()));
        }
        return node.asDouble();
    }

    public boolean optionalBoolean(String field) throws RtcatException {
        JsonNode node = node(field);
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(type + " message has a non-boolean \"" + field + "\"");
        }
        return node.booleanValue();
    }

    /** A JSON object, passed on as it is (its reader validates it); null when absent. */
    public JsonNode optionalObject(String field) throws RtcatException {
        JsonNode node = node(field);
        if (node != null && !node.isObject()) {
            throw invalid(type + " message has a non-object \"" + field + "\"");
        }
        return node;
    }

    /** A JSON array, passed on as it is (its reader validates it); null when absent. */
    public JsonNode optionalArray(String field) throws RtcatException {
        JsonNode node = node(field);
        if (node != null && !node.isArray()) {
            throw invalid(type + " message has a non-list \"" + field + "\"");
        }
        return node;
    }

    /** A protocol error about this message, with the codec's hint. */
    public RtcatException invalid(String message) {
        return new RtcatException(RtcatException.Kind.PROTOCOL, message, hint);
    }

    private <T> T required(String field, T value) throws RtcatException {
        if (value == null) {
            throw invalid(type + " message without \"" + field + "\"");
        }
        return value;
    }

    private JsonNode node(String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node;
    }
}
