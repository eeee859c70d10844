package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.inventiv.worker.api.ApiException;
import io.inventiv.worker.engine.GrammarConstraint;
import io.inventiv.worker.engine.grammar.GrammarException;
import io.inventiv.worker.engine.grammar.ToolCallGrammar;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OpenAI's {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}, checked. With
 * {@code required} or a named function, a grammar forces a call in Qwen's (Hermes) format whose
 * arguments satisfy the function's schema.
 *
 * @param tools    the tools as the template receives them
 * @param schemas  each function's parameters schema, by name, in order
 * @param choice   "auto", "required", or the forced function's name
 */
public record ToolRequest(ArrayNode tools, Map<String, JsonNode> schemas, String choice, boolean parallel) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** The request's tools, or null when it offers none or asks for no call ({@code tool_choice: "none"}). */
    public static ToolRequest read(RequestFields fields) {
        JsonNode tools = fields.raw("tools");
        JsonNode choice = fields.raw("tool_choice");
        boolean parallel = fields.bool("parallel_tool_calls", true);
        if (tools == null || tools.isArray() && tools.isEmpty()) {
            if (choice != null && !(choice.isTextual() && choice.textValue().equals("none"))) {
                throw ApiException.badRequest("When using `tool_choice`, `tools` must be set.", "tool_choice");
            }
            return null;
        }
        if (!tools.isArray()) {
            throw RequestFields.wrongType("tools", "a list of function tools");
        }
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String where = "tools[" + i + "]";
            JsonNode function = tool.path("function");
            if (!tool.path("type").asText("").equals("function") || !function.isObject()) {
                throw RequestFields.wrongType(where, "{\"type\": \"function\", \"function\": {...}}");
            }
            String name = function.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw ApiException.badRequest(where + ".function.name must be 1 to 64 letters, digits, '_' or '-'.",
                        where + ".function.name");
            }
            if (schemas.containsKey(name)) {
                throw ApiException.badRequest(where + ": the function name '" + name + "' appears twice.", where);
            }
            JsonNode parameters = function.path("parameters");
            if (!parameters.isMissingNode() && !parameters.isObject()) {
                throw RequestFields.wrongType(where + ".function.parameters", "a JSON schema object");
            }
            schemas.put(name, parameters.isObject() ? parameters : JsonNodeFactory.instance.objectNode());
        }
        String mode = choice(choice, schemas);
        return mode == null ? null : new ToolRequest((ArrayNode) tools, schemas, mode, parallel);
    }

    private static String choice(JsonNode choice, Map<String, JsonNode> schemas) {
        if (choice == null) {
            return "auto";
        }
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "none" -> null;
                case "auto", "required" -> choice.textValue();
                default -> throw ApiException.badRequest("tool_choice must be none, auto, required or a named "
                        + "function, got '" + choice.textValue() + "'.", "tool_choice");
            };
        }
        String name = choice.path("function").path("name").asText("");
        if (!choice.path("type").asText("").equals("function") || !schemas.containsKey(name)) {
            throw ApiException.badRequest("tool_choice names no function of 'tools': " + choice + ".", "tool_choice");
        }
        return name;
    }

    /** Whether the answer must be a call (required, or a named function). */
    public boolean forced() {
        return !choice.equals("auto");
    }

    /** The grammar that forces a call, or null when the model may answer in text. */
    public GrammarConstraint grammar() {
        if (!forced()) {
            return null;
        }
        Map<String, JsonNode> allowed = choice.equals("required") ? schemas : Map.of(choice, schemas.get(choice));
        try {
            return new GrammarConstraint(ToolCallGrammar.of(allowed, parallel && choice.equals("required")), "tools");
        } catch (GrammarException e) {
            throw ApiException.badRequest("tools: " + e.getMessage(), "tools");
        }
    }
}
