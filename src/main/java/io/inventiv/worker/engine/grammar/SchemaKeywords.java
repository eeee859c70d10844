package io.inventiv.worker.engine.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The JSON Schema keywords the grammar supports, and the type a schema's keywords imply. */
final class SchemaKeywords {
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema", "$id", "$comment",
            "default", "examples", "deprecated", "readOnly", "writeOnly", "$defs", "definitions");
    static final Set<String> OBJECT = Set.of("properties", "required", "additionalProperties");
    private static final Set<String> ARRAY = Set.of("items", "prefixItems", "minItems", "maxItems",
            "uniqueItems");
    private static final Set<String> STRING = Set.of("minLength", "maxLength", "pattern", "format");
    private static final Set<String> NUMBER = Set.of("minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum");
    private static final Set<String> OTHER = Set.of("type", "enum", "const", "anyOf", "oneOf", "allOf",
            "$ref");

    private SchemaKeywords() {
    }

    /** The schema's constraint keywords (annotations left out); an unsupported one is a {@link GrammarException}. */
    static Set<String> check(JsonNode schema, String pointer) {
        Set<String> constraints = new HashSet<>();
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (ANNOTATIONS.contains(name)) {
                continue;
            }
            if (!OBJECT.contains(name) && !ARRAY.contains(name) && !STRING.contains(name)
                    && !NUMBER.contains(name) && !OTHER.contains(name)) {
                throw JsonSchemaGrammar.error(pointer, "the keyword '" + name + "' is not supported");
            }
            constraints.add(name);
        }
        return constraints;
    }

    static void requireAlone(Set<String> constraints, String keyword, String pointer) {
        if (constraints.size() > 1) {
            throw JsonSchemaGrammar.error(pointer, "'" + keyword + "' beside " + constraints.stream().filter(k -> !k.equals(keyword))
                    .sorted().toList() + " is not supported; put the other keywords inside it");
        }
    }

    static List<String> types(JsonNode schema, String pointer) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return List.of(inferredType(schema));
        }
        List<String> types = new ArrayList<>();
        if (type.isTextual()) {
            types.add(type.textValue());
        } else if (type.isArray() && !type.isEmpty()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            throw JsonSchemaGrammar.error(pointer, "'type' must be a string or a non-empty array of strings");
        }
        for (String name : types) {
            if (!JsonPrimitives.TYPES.contains(name)) {
                throw JsonSchemaGrammar.error(pointer, "unknown type '" + name + "'");
            }
        }
        return types;
    }

    private static String inferredType(JsonNode schema) {
        for (String name : OBJECT) {
            if (schema.has(name)) {
                return "object";
            }
        }
        for (String name : ARRAY) {
            if (schema.has(name)) {
                return "array";
            }
        }
        for (String name : STRING) {
            if (schema.has(name)) {
                return "string";
            }
        }
        for (String name : NUMBER) {
            if (schema.has(name)) {
                return "number";
            }
        }
        return "any";
    }
}
