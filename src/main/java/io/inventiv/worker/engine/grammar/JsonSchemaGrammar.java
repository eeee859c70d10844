package io.inventiv.worker.engine.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON Schema as a GBNF grammar whose every sentence validates against it. The grammar may
 * produce a subset of the valid documents (declared properties only, bounded digits and
 * whitespace), never a document the schema refuses; keywords it cannot enforce are refused.
 */
public final class JsonSchemaGrammar {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_STRING_LENGTH = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final Gbnf gbnf;
    private final Map<String, String> refRules = new HashMap<>();
    private final JsonPrimitives primitives;
    private final StringRules strings;
    private final NumberRules numbers;

    private JsonSchemaGrammar(JsonNode root, Gbnf gbnf) {
        this.root = root;
        this.gbnf = gbnf;
        this.primitives = new JsonPrimitives(gbnf);
        this.strings = new StringRules(gbnf, primitives);
        this.numbers = new NumberRules(gbnf, primitives);
    }

    /** The grammar for documents valid against {@code schema}; {@link GrammarException} if it cannot be exact. */
    public static String of(JsonNode schema) {
        Gbnf gbnf = new Gbnf();
        return gbnf.text(expression(gbnf, schema));
    }

    /** The expression for {@code schema}'s documents, its rules added to {@code gbnf}. */
    static String expression(Gbnf gbnf, JsonNode schema) {
        return new JsonSchemaGrammar(schema, gbnf).visit(schema, "", 0);
    }

    /** Any JSON object: OpenAI's {@code json_object} response format. */
    public static String anyObject() {
        Gbnf gbnf = new Gbnf();
        return gbnf.text(new JsonPrimitives(gbnf).object());
    }

    private String visit(JsonNode schema, String pointer, int depth) {
        if (depth > MAX_DEPTH) {
            throw error(pointer, "the schema nests deeper than " + MAX_DEPTH + " levels");
        }
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                throw error(pointer, "the schema false admits no value");
            }
            return primitives.value();
        }
        if (!schema.isObject()) {
            throw error(pointer, "a schema must be an object or a boolean");
        }
        Set<String> constraints = SchemaKeywords.check(schema, pointer);
        if (schema.has("$ref")) {
            SchemaKeywords.requireAlone(constraints, "$ref", pointer);
            return reference(schema.get("$ref"), pointer, depth);
        }
        if (schema.has("enum") || schema.has("const")) {
            return constants(schema, constraints, pointer);
        }
        for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
            if (schema.has(combinator)) {
                SchemaKeywords.requireAlone(constraints, combinator, pointer);
                return combination(schema.get(combinator), combinator, pointer, depth);
            }
        }
        List<String> types = SchemaKeywords.types(schema, pointer);
        List<String> alternatives = new ArrayList<>();
        for (String type : types) {
            alternatives.add(typed(type, schema, pointer, depth));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : gbnf.rule(String.join(" | ", alternatives));
    }

    private String reference(JsonNode ref, String pointer, int depth) {
        if (!ref.isTextual() || !ref.textValue().startsWith("#")) {
            throw error(pointer, "only local references (#/...) are supported");
        }
        String target = ref.textValue().substring(1);
        String existing = refRules.get(target);
        if (existing != null) {
            return existing;
        }
        JsonNode resolved = target.isEmpty() ? root : root.at(target);
        if (resolved.isMissingNode()) {
            throw error(pointer, "the reference " + ref.textValue() + " points to nothing");
        }
        String name = gbnf.reserve();
        refRules.put(target, name);
        gbnf.define(name, visit(resolved, target, depth + 1));
        return name;
    }

    private String constants(JsonNode schema, Set<String> constraints, String pointer) {
        List<JsonNode> values = new ArrayList<>();
        if (schema.has("const")) {
            values.add(schema.get("const"));
        } else if (schema.get("enum").isArray() && !schema.get("enum").isEmpty()) {
            schema.get("enum").forEach(values::add);
        } else {
            throw error(pointer, "'enum' must be a non-empty array");
        }
        Set<String> others = new java.util.HashSet<>(constraints);
        others.removeAll(Set.of("enum", "const", "type"));
        if (!others.isEmpty()) {
            throw error(pointer, "'enum' or 'const' beside " + others + " is not supported");
        }
        List<String> types = schema.has("type") ? SchemaKeywords.types(schema, pointer) : null;
        List<String> literals = new ArrayList<>();
        for (JsonNode value : values) {
            if (types == null || types.stream().anyMatch(type -> JsonPrimitives.isOfType(value, type))) {
                literals.add(Gbnf.literal(write(value)));
            }
        }
        if (literals.isEmpty()) {
            throw error(pointer, "no value of 'enum' or 'const' has the schema's type");
        }
        return gbnf.rule(String.join(" | ", literals));
    }

    private String combination(JsonNode branches, String combinator, String pointer, int depth) {
        if (!branches.isArray() || branches.isEmpty()) {
            throw error(pointer, "'" + combinator + "' must be a non-empty array");
        }
        if (combinator.equals("allOf")) {
            if (branches.size() != 1) {
                throw error(pointer, "'allOf' with more than one schema is not supported");
            }
            return visit(branches.get(0), pointer + "/allOf/0", depth + 1);
        }
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            alternatives.add(visit(branches.get(i), pointer + "/" + combinator + "/" + i, depth + 1));
        }
        return gbnf.rule(String.join(" | ", alternatives));
    }

    private String typed(String type, JsonNode schema, String pointer, int depth) {
        return switch (type) {
            case "object" -> object(schema, pointer, depth);
            case "array" -> array(schema, pointer, depth);
            case "string" -> strings.string(schema, pointer);
            case "integer" -> numbers.integer(schema, pointer);
            case "number" -> numbers.number(schema, pointer);
            case "boolean" -> primitives.bool();
            case "null" -> Gbnf.literal("null");
            default -> primitives.value();
        };
    }

    private String object(JsonNode schema, String pointer, int depth) {
        JsonNode declared = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        declared.fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue()));
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (String name : required) {
            properties.putIfAbsent(name, additional != null && additional.isObject() ? additional : BooleanNode.TRUE);
        }
        if (properties.isEmpty()) {
            if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                return gbnf.rule("\"{\" " + primitives.ws() + " \"}\"");
            }
            if (additional != null && additional.isObject()) {
                return primitives.map(visit(additional, pointer + "/additionalProperties", depth + 1));
            }
            return primitives.object();
        }
        List<String> pairs = new ArrayList<>();
        List<Boolean> mandatory = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : properties.entrySet()) {
            String value = visit(property.getValue(), pointer + "/properties/" + escape(property.getKey()), depth + 1);
            pairs.add(gbnf.rule(Gbnf.literal(write(JSON.getNodeFactory().textNode(property.getKey()))) + " "
                    + primitives.ws() + " \":\" " + primitives.ws() + " " + value));
            mandatory.add(required.contains(property.getKey()));
        }
        return gbnf.rule("\"{\" " + primitives.ws() + " " + ObjectBody.of(gbnf, primitives, pairs, mandatory) + " "
                + primitives.ws() + " \"}\"");
    }

    private String array(JsonNode schema, String pointer, int depth) {
        int min = nonNegative(schema, "minItems", 0, pointer);
        int max = nonNegative(schema, "maxItems", -1, pointer);
        if (max > RegexGrammar.MAX_REPEAT || min > RegexGrammar.MAX_REPEAT) {
            throw error(pointer, "minItems and maxItems above " + RegexGrammar.MAX_REPEAT + " are not supported");
        }
        if (schema.path("uniqueItems").asBoolean(false) && (max < 0 || max > 1)) {
            throw error(pointer, "'uniqueItems' is not supported (unless maxItems is at most 1)");
        }
        String ws = primitives.ws();
        String separator = ws + " \",\" " + ws;
        if (schema.has("prefixItems")) {
            JsonNode prefix = schema.get("prefixItems");
            if (!prefix.isArray() || schema.has("items") || min > prefix.size() || (max >= 0 && max < prefix.size())) {
                throw error(pointer, "'prefixItems' is supported alone, with every item present");
            }
            List<String> items = new ArrayList<>();
            for (int i = 0; i < prefix.size(); i++) {
                items.add(visit(prefix.get(i), pointer + "/prefixItems/" + i, depth + 1));
            }
            return gbnf.rule("\"[\" " + ws + " " + String.join(" " + separator + " ", items) + " " + ws + " \"]\"");
        }
        if (max >= 0 && max < min) {
            throw error(pointer, "maxItems is less than minItems");
        }
        if (max == 0) {
            return gbnf.rule("\"[\" " + ws + " \"]\"");
        }
        String item = schema.has("items") ? visit(schema.get("items"), pointer + "/items", depth + 1)
                : primitives.value();
        String more = Gbnf.repeat(separator + " " + item, Math.max(0, min - 1), max < 0 ? -1 : max - 1);
        String list = item + " " + more;
        return gbnf.rule("\"[\" " + ws + " " + (min == 0 ? "(" + list + ")?" : list) + " " + ws + " \"]\"");
    }

    static int nonNegative(JsonNode schema, String keyword, int fallback, String pointer) {
        JsonNode node = schema.get(keyword);
        if (node == null) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            throw error(pointer, "'" + keyword + "' must be a non-negative integer");
        }
        return node.intValue();
    }

    static String write(JsonNode value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GrammarException("cannot write " + value + ": " + e.getOriginalMessage());
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    static GrammarException error(String pointer, String why) {
        return new GrammarException("schema at " + (pointer.isEmpty() ? "/" : pointer) + ": " + why);
    }
}
