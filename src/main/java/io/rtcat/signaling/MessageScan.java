package io.rtcat.signaling;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The top-level fields the relay needs from a client's message, read with Jackson's streaming parser and no tree:
 * the relay path parses every message, and skipped string values (an SDP of kilobytes) are never copied. The whole
 * text is still checked as strictly as {@link Json#read}: one JSON object, no duplicate keys at any depth, nothing
 * after it.
 *
 * @param type      the string {@code type}, or null when absent or not a string
 * @param target    the string {@code target}, or null
 * @param badTarget {@code target} is present, not null and not a string
 * @param room      the string {@code room}, or null
 * @param userId    the string {@code userId}, or null
 * @param hasSender the message names a {@code sender} (which the server must replace)
 */
record MessageScan(String type, String target, boolean badTarget, String room, String userId, boolean hasSender) {

    /** The text is JSON but not an object. */
    static final class NotAnObject extends Exception {
        NotAnObject() {
            super("message must be a json object", null, false, false);
        }
    }

    /** Scans {@code text}; throws on malformed JSON (as {@link Json#read} would) or a non-object. */
    static MessageScan of(String text) throws JsonProcessingException, NotAnObject {
        try (JsonParser p = Json.MAPPER.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                drain(p); // malformed beats "not an object", as with a tree
                throw new NotAnObject();
            }
            String type = null;
            String target = null;
            boolean badTarget = false;
            String room = null;
            String userId = null;
            boolean hasSender = false;
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "type" -> type = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "target" -> {
                        target = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        badTarget = v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL;
                    }
                    case "room" -> room = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "userId" -> userId = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "sender" -> hasSender = true;
                    default -> {
                    }
                }
                p.skipChildren();
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new JsonParseException(p, "Trailing token (of type " + after + ") found after the object");
            }
            return new MessageScan(type, target, badTarget, room, userId, hasSender);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    /** Reads the rest, so malformed input after a non-object value is reported as malformed. */
    private static void drain(JsonParser p) throws IOException {
        p.skipChildren();
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new JsonParseException(p, "Trailing token (of type " + after + ") found after value");
        }
    }
}
