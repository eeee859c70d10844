package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;

/** Asserts that a response is an OpenAI error envelope with the expected status. */
final class ErrorEnvelope {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorEnvelope() {
    }

    /** Checks status, content type and every envelope field; returns the error object. */
    static JsonNode assertError(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                "content type of " + response.body());
        JsonNode error;
        try {
            error = JSON.readTree(response.body()).get("error");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
        assertTrue(error != null && error.isObject(), response.body());
        assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank(), response.body());
        assertTrue(error.get("type").isTextual(), response.body());
        assertTrue(error.has("param"), response.body());
        assertEquals(status, error.get("code").asInt(), response.body());
        return error;
    }
}
