package io.inventiv.worker.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random JSON schemas of the kinds clients send: objects with required and optional
 * properties, nesting, arrays, enums, bounded numbers, strings with lengths, patterns and formats.
 * Strings and arrays are bounded, so that a model with random weights finishes every answer.
 */
final class RandomSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PATTERNS = List.of("^[a-z]{2,6}$", "^\\d{3}-\\d{4}$", "^(red|green|blue)$",
            "^[A-Z][a-z]{1,5}( [A-Z][a-z]{1,5})?$", "^v[0-9]+\\.[0-9]+$", "^[^\\s@]{1,8}@example\\.(com|org)$");

    private final SplittableRandom random;

    private RandomSchemas(long seed) {
        this.random = new SplittableRandom(seed);
    }

    static ObjectNode of(long seed) {
        return new RandomSchemas(seed).object(0);
    }

    private ObjectNode object(int depth) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        int count = 1 + random.nextInt(depth == 0 ? 5 : 3);
        for (int i = 0; i < count; i++) {
            String name = "p" + i + (random.nextBoolean() ? "_" + (char) ('a' + random.nextInt(26)) : "");
            properties.set(name, property(depth));
            if (random.nextInt(3) > 0) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        if (random.nextBoolean()) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }

    private ObjectNode property(int depth) {
        int kind = random.nextInt(depth < 2 ? 11 : 9);
        ObjectNode schema = JSON.createObjectNode();
        switch (kind) {
            case 0 -> schema.put("type", "string").put("maxLength", 1 + random.nextInt(12))
                    .put("minLength", random.nextInt(2));
            case 1 -> schema.put("type", "string").put("pattern", PATTERNS.get(random.nextInt(PATTERNS.size())));
            case 2 -> {
                ArrayNode values = schema.putArray("enum");
                values.add("alpha").add("beta").add(random.nextInt(100)).add(random.nextBoolean());
            }
            case 3 -> {
                long lo = random.nextLong(-1000, 1000);
                schema.put("type", "integer").put("minimum", lo).put("maximum", lo + random.nextLong(0, 5000));
            }
            case 4 -> {
                long lo = random.nextLong(-50, 50);
                schema.put("type", "number").put(random.nextBoolean() ? "minimum" : "exclusiveMinimum", lo)
                        .put("maximum", lo + 2 + random.nextLong(0, 100));
            }
            case 5 -> schema.put("type", "boolean");
            case 6 -> schema.put("type", "string").put("format", random.nextBoolean() ? "date" : "uuid");
            case 7 -> schema.putArray("anyOf").add(JSON.createObjectNode().put("type", "integer").put("minimum", 0))
                    .add(JSON.createObjectNode().put("type", "null"));
            case 8 -> schema.put("const", "fixed-" + random.nextInt(10));
            case 9 -> {
                schema.put("type", "array").put("minItems", random.nextInt(2)).put("maxItems", 2 + random.nextInt(3));
                schema.set("items", property(depth + 1));
            }
            default -> {
                return object(depth + 1);
            }
        }
        return schema;
    }
}
