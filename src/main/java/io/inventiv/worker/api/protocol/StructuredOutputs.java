package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventiv.worker.api.ApiException;
import io.inventiv.worker.api.Json;
import io.inventiv.worker.engine.GrammarConstraint;
import io.inventiv.worker.engine.grammar.Gbnf;
import io.inventiv.worker.engine.grammar.GrammarException;
import io.inventiv.worker.engine.grammar.JsonSchemaGrammar;
import io.inventiv.worker.engine.grammar.RegexGrammar;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * vLLM's ways of constraining the output, read into one grammar: OpenAI's {@code response_format},
 * vLLM's {@code structured_outputs}, and its older {@code guided_*} fields. At most one kind per
 * request; a schema or pattern the grammar cannot enforce exactly is a 400, never ignored.
 */
public final class StructuredOutputs {
    private static final Set<String> KINDS = Set.of("json", "regex", "choice", "grammar", "json_object");
    /** Flags of vLLM's structured_outputs that only tune its own backends: nothing to do here. */
    private static final Set<String> BACKEND_FLAGS = Set.of("disable_fallback", "disable_additional_properties");

    private StructuredOutputs() {
    }

    /** The constraint the request asks for, or null. */
    public static GrammarConstraint read(RequestFields fields) {
        Map<String, GrammarConstraint> found = new LinkedHashMap<>();
        responseFormat(fields, found);
        JsonNode structured = fields.raw("structured_outputs");
        if (structured != null) {
            structuredOutputs(structured, found);
        }
        guided(fields, found);
        if (found.size() > 1) {
            throw ApiException.badRequest("You can only use one kind of structured outputs constraint but "
                    + "multiple are specified: " + found.keySet() + ".", found.keySet().iterator().next());
        }
        return found.isEmpty() ? null : found.values().iterator().next();
    }

    private static void responseFormat(RequestFields fields, Map<String, GrammarConstraint> found) {
        JsonNode format = fields.raw("response_format");
        if (format == null) {
            return;
        }
        if (!format.isObject() || !format.path("type").isTextual()) {
            throw RequestFields.wrongType("response_format", "an object with a 'type'");
        }
        switch (format.get("type").textValue()) {
            case "text" -> {
            }
            case "json_object" -> found.put("response_format", kind("json_object", format, "response_format"));
            case "json_schema" -> {
                JsonNode wrapper = format.get("json_schema");
                if (wrapper == null || !wrapper.isObject() || !wrapper.has("schema")) {
                    throw ApiException.badRequest("response_format.json_schema must be an object with a 'schema'.",
                            "response_format.json_schema");
                }
                found.put("response_format", schema(wrapper.get("schema"), "response_format.json_schema.schema"));
            }
            default -> throw ApiException.badRequest("response_format.type must be one of text, json_object, "
                    + "json_schema; got '" + format.get("type").textValue() + "'.", "response_format.type");
        }
    }

    private static void structuredOutputs(JsonNode node, Map<String, GrammarConstraint> found) {
        if (!node.isObject()) {
            throw RequestFields.wrongType("structured_outputs", "an object");
        }
        List<String> kinds = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            String param = "structured_outputs." + name;
            JsonNode value = field.getValue();
            if (value.isNull() || BACKEND_FLAGS.contains(name) && value.isBoolean()) {
                continue;
            }
            if (!KINDS.contains(name)) {
                throw ApiException.badRequest(param + " is not supported; use json, regex, choice, grammar or "
                        + "json_object.", param);
            }
            if (name.equals("json_object") && !(value.isBoolean() && value.booleanValue())) {
                continue;
            }
            kinds.add(name);
            found.put(param, kind(name, value, param));
        }
        if (kinds.size() > 1) {
            throw ApiException.badRequest("You can only use one kind of structured outputs constraint but "
                    + "multiple are specified: " + kinds + ".", "structured_outputs");
        }
    }

    private static void guided(RequestFields fields, Map<String, GrammarConstraint> found) {
        for (String kind : List.of("json", "regex", "choice", "grammar")) {
            JsonNode value = fields.raw("guided_" + kind);
            if (value != null) {
                found.put("guided_" + kind, kind(kind, value, "guided_" + kind));
            }
        }
        fields.string("guided_decoding_backend"); // names vLLM's backend; one grammar engine here
        if (fields.raw("guided_whitespace_pattern") != null) {
            throw ApiException.badRequest("guided_whitespace_pattern is not supported.", "guided_whitespace_pattern");
        }
    }

    private static GrammarConstraint kind(String kind, JsonNode value, String param) {
        return switch (kind) {
            case "json" -> schema(value.isTextual() ? parse(value.textValue(), param) : value, param);
            case "json_object" -> new GrammarConstraint(JsonSchemaGrammar.anyObject(), param);
            case "regex" -> {
                if (!value.isTextual()) {
                    throw RequestFields.wrongType(param, "a string");
                }
                yield new GrammarConstraint("root ::= " + convert(() -> RegexGrammar.expression(value.textValue(),
                        RegexGrammar.Mode.RAW), param) + "\n", param);
            }
            case "choice" -> new GrammarConstraint(choice(value, param), param);
            default -> {
                if (!value.isTextual() || value.textValue().isBlank()) {
                    throw RequestFields.wrongType(param, "a non-empty GBNF grammar");
                }
                yield new GrammarConstraint(value.textValue(), param);
            }
        };
    }

    private static GrammarConstraint schema(JsonNode schema, String param) {
        if (!schema.isObject() && !schema.isBoolean()) {
            throw RequestFields.wrongType(param, "a JSON schema (an object)");
        }
        return new GrammarConstraint(convert(() -> JsonSchemaGrammar.of(schema), param), param);
    }

    private static String choice(JsonNode value, String param) {
        if (!value.isArray() || value.isEmpty()) {
            throw RequestFields.wrongType(param, "a non-empty list of strings");
        }
        List<String> literals = new ArrayList<>();
        for (JsonNode choice : value) {
            if (!choice.isTextual() || choice.textValue().isEmpty()) {
                throw RequestFields.wrongType(param, "a non-empty list of non-empty strings");
            }
            literals.add(Gbnf.literal(choice.textValue()));
        }
        return "root ::= " + String.join(" | ", literals) + "\n";
    }

    private static JsonNode parse(String text, String param) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest(param + " is not valid JSON: " + e.getOriginalMessage(), param);
        }
    }

    private static String convert(java.util.function.Supplier<String> conversion, String param) {
        try {
            return conversion.get();
        } catch (GrammarException e) {
            throw ApiException.badRequest(param + ": " + e.getMessage(), param);
        }
    }
}
