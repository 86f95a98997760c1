package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.json.Mappers;

/**
 * Every JSON document and NDJSON event rtcat prints starts with {@code schema_version}: wrappers check it
 * once instead of guessing from the fields. Bumped only when a field changes meaning or goes away; new
 * fields keep the version. The schemas are in src/main/resources/schemas.
 */
final class JsonDocument {

    static final int SCHEMA_VERSION = 1;

    private JsonDocument() {
    }

    /** An empty document with its schema version. */
    static ObjectNode create() {
        return Mappers.PRETTY.createObjectNode().put("schema_version", SCHEMA_VERSION);
    }

    /** An NDJSON event: the schema version, then its type. */
    static ObjectNode event(String type) {
        return create().put("event", type);
    }
}
