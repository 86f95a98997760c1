package io.rtcat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks JSON documents against the JSON Schemas (draft 2020-12) that ship in the jar under {@code /schemas}, e.g.
 * {@code /schemas/probe.schema.json}.
 *
 * <p>The validator (networknt 3.x) works on Jackson 3 trees while rtcat uses Jackson 2, so documents cross over
 * as JSON text; that also means a test validates exactly the bytes a user would see.
 */
public final class JsonSchemas {

    /** The draft every rtcat schema declares; its meta-schema is bundled with the validator (no network). */
    private static final SpecificationVersion DRAFT = SpecificationVersion.DRAFT_2020_12;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(DRAFT);
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    /** Every way {@code document} breaks the schema at classpath resource {@code schemaResource}; empty if valid. */
    public static List<String> violations(String schemaResource, JsonNode document) {
        return violations(schemaResource, document.toString());
    }

    /** Like {@link #violations(String, JsonNode)} for JSON text (which must parse). */
    public static List<String> violations(String schemaResource, String json) {
        return describe(schema(schemaResource).validate(json, InputFormat.JSON));
    }

    /** Fails the test, listing every violation and the document, unless {@code json} matches the schema. */
    public static void assertValid(String schemaResource, String json) {
        List<String> found = violations(schemaResource, json);
        assertTrue(found.isEmpty(), () -> "not valid against " + schemaResource + ":\n  " + String.join("\n  ", found)
                + "\n--- document\n" + json);
    }

    /** Every way the schema resource itself breaks the draft 2020-12 meta-schema; empty if it is a sound schema. */
    public static List<String> metaSchemaViolations(String schemaResource) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(DRAFT.getDialectId()));
        return describe(meta.validate(read(schemaResource), InputFormat.JSON));
    }

    private static Schema schema(String resource) {
        return LOADED.computeIfAbsent(resource, r -> REGISTRY.getSchema(read(r), InputFormat.JSON));
    }

    private static String read(String resource) {
        try (InputStream in = JsonSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema on the classpath at " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per error: where (a JSON Pointer like {@code /servers/0/status}; "(document)" for the root), what. */
    private static List<String> describe(List<Error> errors) {
        return errors.stream().map(e -> {
            String where = e.getInstanceLocation().toString();
            return (where.isEmpty() ? "(document)" : where) + ": " + e.getMessage();
        }).toList();
    }

    /**
     * The properties a schema declares without a "description" (the schemas double as documentation). Walks
     * the schema's objects (arrays such as oneOf/allOf are not entered); a property counts as declared where it
     * appears under "properties" outside if/then/else conditions, which only restate constraints.
     */
    public static List<String> undocumentedProperties(String schemaResource) {
        try (InputStream in = JsonSchemas.class.getResourceAsStream(schemaResource)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema resource " + schemaResource);
            }
            List<String> out = new java.util.ArrayList<>();
            collectUndocumented(new com.fasterxml.jackson.databind.ObjectMapper().readTree(in), "", out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectUndocumented(JsonNode node, String path, List<String> out) {
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String here = path + "/" + e.getKey();
            boolean condition = path.matches(".*/(if|then|else)(/.*)?");
            if (e.getKey().equals("properties") && !condition) {
                for (Map.Entry<String, JsonNode> p : e.getValue().properties()) {
                    if (p.getValue().isObject() && !p.getValue().has("description")) {
                        out.add(here + "/" + p.getKey());
                    }
                }
            }
            collectUndocumented(e.getValue(), here, out);
        }
    }
}
