package io.inventiv.worker.engine.grammar;

import com.fasterxml.jackson.databind.JsonNode;

/** Integers and numbers under a schema's minimum, maximum and exclusive bounds. */
final class NumberRules {
    private final Gbnf gbnf;
    private final JsonPrimitives primitives;

    NumberRules(Gbnf gbnf, JsonPrimitives primitives) {
        this.gbnf = gbnf;
        this.primitives = primitives;
    }

    String integer(JsonNode schema, String pointer) {
        if (!bounded(schema)) {
            return gbnf.define("json-integer", NumericGrammar.INTEGER);
        }
        long[] range = range(schema, pointer);
        return gbnf.rule(NumericGrammar.integers(range[0], range[1]));
    }

    String number(JsonNode schema, String pointer) {
        if (!bounded(schema)) {
            return primitives.number();
        }
        long[] range = range(schema, pointer);
        return gbnf.rule(NumericGrammar.decimals(range[0], range[1]));
    }

    private static boolean bounded(JsonNode schema) {
        return schema.has("minimum") || schema.has("maximum") || schema.has("exclusiveMinimum")
                || schema.has("exclusiveMaximum");
    }

    /** The integers every bound admits, clamped to the digits we write. */
    private static long[] range(JsonNode schema, String pointer) {
        double lo = -NumericGrammar.LIMIT;
        double hi = NumericGrammar.LIMIT;
        if (schema.has("minimum")) {
            lo = Math.max(lo, Math.ceil(bound(schema, "minimum", pointer)));
        }
        if (schema.has("exclusiveMinimum")) {
            lo = Math.max(lo, Math.floor(bound(schema, "exclusiveMinimum", pointer)) + 1);
        }
        if (schema.has("maximum")) {
            hi = Math.min(hi, Math.floor(bound(schema, "maximum", pointer)));
        }
        if (schema.has("exclusiveMaximum")) {
            hi = Math.min(hi, Math.ceil(bound(schema, "exclusiveMaximum", pointer)) - 1);
        }
        if (lo > hi) {
            throw JsonSchemaGrammar.error(pointer, "no integer lies within the bounds; bounds that admit only "
                    + "fractions are not supported");
        }
        return new long[] {(long) lo, (long) hi};
    }

    private static double bound(JsonNode schema, String keyword, String pointer) {
        JsonNode node = schema.get(keyword);
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw JsonSchemaGrammar.error(pointer, "'" + keyword + "' must be a number");
        }
        return node.asDouble();
    }
}
