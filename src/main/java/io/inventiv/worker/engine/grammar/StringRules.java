package io.inventiv.worker.engine.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** JSON strings under a schema's pattern, length bounds or format. */
final class StringRules {
    private static final String HEX = "[0-9a-f]";
    private static final String DATE = "[0-9]{4} \"-\" (\"0\" [1-9] | \"1\" [0-2]) \"-\" (\"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8])";
    private static final String TIME = "([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9] \":\" [0-5] [0-9] (\".\" [0-9]{1,3})? "
            + "(\"Z\" | [+\\x2D] ([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9])";
    /** Formats written exactly; days stop at 28 so that every date exists. */
    private static final Map<String, String> FORMATS = Map.of(
            "date", DATE,
            "time", TIME,
            "date-time", DATE + " \"T\" " + TIME,
            "uuid", HEX + "{8} \"-\" " + HEX + "{4} \"-\" " + HEX + "{4} \"-\" " + HEX + "{4} \"-\" " + HEX + "{12}");

    private final Gbnf gbnf;
    private final JsonPrimitives primitives;

    StringRules(Gbnf gbnf, JsonPrimitives primitives) {
        this.gbnf = gbnf;
        this.primitives = primitives;
    }

    String string(JsonNode schema, String pointer) {
        int min = JsonSchemaGrammar.nonNegative(schema, "minLength", 0, pointer);
        int max = JsonSchemaGrammar.nonNegative(schema, "maxLength", -1, pointer);
        boolean lengths = schema.has("minLength") || schema.has("maxLength");
        if (schema.has("format")) {
            String format = schema.get("format").asText();
            String rule = FORMATS.get(format);
            if (rule == null) {
                throw JsonSchemaGrammar.error(pointer, "the format '" + format + "' is not supported (supported: "
                        + FORMATS.keySet().stream().sorted().toList() + ")");
            }
            if (lengths || schema.has("pattern")) {
                throw JsonSchemaGrammar.error(pointer, "'format' beside 'pattern' or lengths is not supported");
            }
            return gbnf.rule(JsonPrimitives.quoted("(" + rule + ")"));
        }
        if (schema.has("pattern")) {
            if (lengths) {
                throw JsonSchemaGrammar.error(pointer, "'pattern' beside 'minLength' or 'maxLength' is not supported");
            }
            String pattern = schema.get("pattern").asText();
            return gbnf.rule(JsonPrimitives.quoted(RegexGrammar.expression(pattern, RegexGrammar.Mode.JSON_STRING)));
        }
        if (!lengths) {
            return primitives.string();
        }
        if (max >= 0 && max < min) {
            throw JsonSchemaGrammar.error(pointer, "maxLength is less than minLength");
        }
        if (min > JsonSchemaGrammar.MAX_STRING_LENGTH || max > JsonSchemaGrammar.MAX_STRING_LENGTH) {
            throw JsonSchemaGrammar.error(pointer, "string lengths above " + JsonSchemaGrammar.MAX_STRING_LENGTH
                    + " are not supported");
        }
        return gbnf.rule(JsonPrimitives.quoted(Gbnf.repeat(primitives.bmpCharacter(), min, max)));
    }
}
