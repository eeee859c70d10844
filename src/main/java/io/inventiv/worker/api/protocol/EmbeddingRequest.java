package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventiv.worker.api.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked /v1/embeddings request. {@code input} is a string, a list of strings, a list of
 * token ids, or a list of such lists; exactly one of {@code texts} and {@code tokenLists} is set.
 */
public record EmbeddingRequest(String model, List<String> texts, List<int[]> tokenLists, boolean base64,
        boolean addSpecialTokens) {
    /** OpenAI's limit on inputs per request. */
    public static final int MAX_INPUTS = 2048;

    public static EmbeddingRequest from(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        if (fields.raw("dimensions") != null) {
            throw ApiException.badRequest("dimensions is not supported: this model's embeddings have one fixed size.",
                    "dimensions");
        }
        if (fields.raw("truncate_prompt_tokens") != null) {
            throw ApiException.badRequest("truncate_prompt_tokens is not supported.", "truncate_prompt_tokens");
        }
        String format = fields.string("encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw ApiException.badRequest("encoding_format must be 'float' or 'base64', got '" + format + "'.",
                    "encoding_format");
        }
        fields.string("user");
        String model = fields.string("model");
        boolean special = fields.bool("add_special_tokens", true);
        boolean base64 = "base64".equals(format);
        JsonNode input = fields.raw("input");
        if (input == null) {
            throw ApiException.badRequest("'input' is required.", "input");
        }
        if (input.isTextual()) {
            return new EmbeddingRequest(model, List.of(input.textValue()), null, base64, special);
        }
        if (!input.isArray() || input.isEmpty()) {
            throw inputType();
        }
        if (input.size() > MAX_INPUTS) {
            throw ApiException.badRequest("'input' may hold at most " + MAX_INPUTS + " items, got " + input.size() + ".",
                    "input");
        }
        if (input.get(0).isTextual()) {
            List<String> texts = new ArrayList<>();
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    throw inputType();
                }
                texts.add(item.textValue());
            }
            return new EmbeddingRequest(model, texts, null, base64, special);
        }
        if (input.get(0).isArray()) {
            List<int[]> lists = new ArrayList<>();
            for (JsonNode item : input) {
                lists.add(tokenIds(item));
            }
            return new EmbeddingRequest(model, null, lists, base64, special);
        }
        return new EmbeddingRequest(model, null, List.of(tokenIds(input)), base64, special);
    }

    private static int[] tokenIds(JsonNode array) {
        int[] ids = array.isArray() && !array.isEmpty() ? RequestFields.intArray(array) : null;
        if (ids == null) {
            throw inputType();
        }
        return ids;
    }

    private static ApiException inputType() {
        return RequestFields.wrongType("input", "a string, a list of strings, a list of token ids or a list of "
                + "such lists, none empty");
    }
}
