package io.rtcat.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The project's one Jackson configuration. ObjectMappers are thread-safe once configured and costly to build
 * (each warms its own serializer caches), so every codec and printer shares these two.
 */
public final class Mappers {

    /** Compact, for wire messages and state files. */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Indented, for the documents printed with --json. */
    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Mappers() {
    }
}
