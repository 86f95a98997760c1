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

    /**
     * Builds Jackson's shared state on the calling thread, so that a command's first message does not: the first
     * mapper of a process costs some 40 ms (most of it the JDK's calendar and locale data, read for Jackson's
     * default date format), and the first tree read and written some more. Main runs this beside picocli for the
     * commands that exchange JSON at once (README, "Start-up"). Never throws.
     */
    public static void warmUp() {
        try {
            JSON.writeValueAsString(JSON.readTree("{\"type\":\"join\",\"n\":[1,2.5,true,null]}"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            // never on a background thread's stack trace: the command's own first use meets and reports it
        }
    }
}
