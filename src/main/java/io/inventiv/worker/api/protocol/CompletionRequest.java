package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventiv.worker.api.ApiException;

/**
 * A checked /v1/completions request. The prompt is text or token ids, as in vLLM; lists of
 * several prompts are refused because only n=1 is served.
 *
 * @param promptText   the prompt as text, or null when given as ids
 * @param promptTokens the prompt as token ids, or null when given as text
 */
public record CompletionRequest(String promptText, int[] promptTokens, CommonRequestFields common) {

    public static CompletionRequest from(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        JsonNode prompt = fields.raw("prompt");
        CommonRequestFields common = CommonRequestFields.read(fields, false);
        if (prompt == null) {
            throw ApiException.badRequest("'prompt' is required.", "prompt");
        }
        if (prompt.isTextual()) {
            return new CompletionRequest(prompt.textValue(), null, common);
        }
        if (!prompt.isArray()) {
            throw promptType();
        }
        if (prompt.size() == 1 && prompt.get(0).isTextual()) {
            return new CompletionRequest(prompt.get(0).textValue(), null, common);
        }
        if (prompt.size() == 1 && prompt.get(0).isArray()) {
            return new CompletionRequest(null, tokenIds(prompt.get(0)), common);
        }
        if (!prompt.isEmpty() && (prompt.get(0).isTextual() || prompt.get(0).isArray())) {
            throw ApiException.badRequest("Only one prompt per request is supported.", "prompt");
        }
        return new CompletionRequest(null, tokenIds(prompt), common);
    }

    private static int[] tokenIds(JsonNode array) {
        int[] ids = RequestFields.intArray(array);
        if (ids == null) {
            throw promptType();
        }
        return ids;
    }

    private static ApiException promptType() {
        return RequestFields.wrongType("prompt", "a string, a list with one string, or a list of token ids");
    }
}
