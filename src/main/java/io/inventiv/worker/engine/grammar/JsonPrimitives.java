package io.inventiv.worker.engine.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** The JSON rules every schema grammar shares, each defined once per grammar under a fixed name. */
final class JsonPrimitives {
    static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean", "null");

    private final Gbnf gbnf;

    JsonPrimitives(Gbnf gbnf) {
        this.gbnf = gbnf;
    }

    /** Optional whitespace: a space, or a line break or two and an indent. */
    String ws() {
        return gbnf.define("ws", "(\" \" | \"\\x0A\" \"\\x0A\"? [ \\x09]{0,20})?");
    }

    /** One character of a JSON string, escapes included (\\u only for control characters). */
    String character() {
        return gbnf.define("json-char", characterRule(0, 0x1F, '"', '"', '\\', '\\', 0xD800, 0xDFFF));
    }

    /**
     * One character of a string with length bounds: within the BMP, because validators count
     * length in code points or in UTF-16 units, which differ only beyond it.
     */
    String bmpCharacter() {
        return gbnf.define("json-char-bmp", characterRule(0, 0x1F, '"', '"', '\\', '\\', 0xD800, 0xDFFF, 0x10000,
                0x10FFFF));
    }

    private static String characterRule(int... unescaped) {
        return Gbnf.charClass(true, unescaped) + " | " + Gbnf.literal("\\") + " (" + Gbnf.charClass(false, '"', '"',
                '/', '/', '\\', '\\', 'b', 'b', 'f', 'f', 'n', 'n', 'r', 'r', 't', 't') + " | \"u00\" [01] [0-9a-fA-F])";
    }

    String string() {
        return gbnf.define("json-string", quoted(character() + "*"));
    }

    /** {@code inside} between double quotes. */
    static String quoted(String inside) {
        return Gbnf.literal("\"") + " " + inside + " " + Gbnf.literal("\"");
    }

    String bool() {
        return gbnf.define("json-boolean", "\"true\" | \"false\"");
    }

    String number() {
        return gbnf.define("json-number", NumericGrammar.NUMBER);
    }

    String value() {
        if (!gbnf.defines("json-value")) {
            gbnf.define("json-value", "json-object | json-array | " + string() + " | " + number() + " | " + bool()
                    + " | \"null\"");
            object();
            array();
        }
        return "json-value";
    }

    String object() {
        if (!gbnf.defines("json-object")) {
            gbnf.define("json-object", members(value()));
        }
        return "json-object";
    }

    String array() {
        if (!gbnf.defines("json-array")) {
            String ws = ws();
            gbnf.define("json-array", "\"[\" " + ws + " (" + value() + " (" + ws + " \",\" " + ws + " " + value()
                    + ")*)? " + ws + " \"]\"");
        }
        return "json-array";
    }

    /** An object with any keys whose values all follow {@code valueRule}. */
    String map(String valueRule) {
        return gbnf.rule(members(valueRule));
    }

    private String members(String valueRule) {
        String ws = ws();
        String pair = string() + " " + ws + " \":\" " + ws + " " + valueRule;
        return "\"{\" " + ws + " (" + pair + " (" + ws + " \",\" " + ws + " " + pair + ")*)? " + ws + " \"}\"";
    }

    static boolean isOfType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() % 1 == 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
    }
}
