package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventiv.worker.api.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, checked access to the fields of a JSON request. A field of the wrong type is a 400
 * that names it, never a silent coercion ("12" is not a number) and never a 500.
 */
public final class RequestFields {
    private final JsonNode body;

    public RequestFields(JsonNode body) {
        this.body = body;
    }

    public JsonNode raw(String name) {
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? null : node;
    }

    public String string(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(name, "a string");
        }
        return node.textValue();
    }

    public Integer integer(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(name, "an integer within 32 bits");
        }
        return node.intValue();
    }

    public Long longInteger(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(name, "an integer within 64 bits");
        }
        return node.longValue();
    }

    public Double number(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw wrongType(name, "a finite number");
        }
        return node.doubleValue();
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode node = raw(name);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw wrongType(name, "a boolean");
        }
        return node.booleanValue();
    }

    /** A string or a list of strings, as OpenAI's {@code stop}. */
    public List<String> stringOrList(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (!node.isArray()) {
            throw wrongType(name, "a string or a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw wrongType(name, "a string or a list of strings");
            }
            values.add(element.textValue());
        }
        return values;
    }

    /** {@code stream_options.include_usage}, checked. */
    public boolean includeUsage() {
        JsonNode options = raw("stream_options");
        if (options == null) {
            return false;
        }
        if (!options.isObject()) {
            throw wrongType("stream_options", "an object");
        }
        return new RequestFields(options).bool("include_usage", false);
    }

    /** The ids of a JSON array of 32-bit integers, or null when any element is something else. */
    public static int[] intArray(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                return null;
            }
            ids[i] = id.intValue();
        }
        return ids;
    }

    public static ApiException wrongType(String name, String expected) {
        return ApiException.badRequest("'" + name + "' must be " + expected + ".", name);
    }
}
