package io.inventiv.worker.it;

import static io.inventiv.worker.it.ErrorEnvelope.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.Server;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Every class of bad input gets an OpenAI error envelope with the right 4xx, and the server lives on. */
@ServerTest
class ErrorsIT {
    /** A small context and strict names, to reach those errors cheaply. */
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 1, 4, 128, true);
    private static final String CHAT = "/v1/chat/completions";
    private static final String OK_MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private final RawHttp http;

    ErrorsIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    private JsonNode badChat(String fields, String expectedParam) {
        JsonNode error = assertError(http.post(CHAT, "{" + fields + "}"), 400);
        if (expectedParam != null) {
            assertEquals(expectedParam, error.get("param").asText(), error.toString());
        }
        return error;
    }

    @Test
    void malformedAndNonObjectBodiesAre400() {
        assertError(http.post(CHAT, "{\"messages\": [}"), 400);
        assertError(http.post(CHAT, ""), 400);
        assertError(http.post(CHAT, "[1,2]"), 400);
        assertError(http.post(CHAT, "\"text\""), 400);
        assertError(http.post(CHAT, "{} trailing"), 400);
        assertError(http.post(CHAT, "[".repeat(10_000)), 400);
    }

    @Test
    void bodiesThatAreNotUtf8Are400AndTheServerLivesOn() {
        byte[][] broken = {
            {(byte) 0xE2, (byte) 0x82}, // € cut after two of its three bytes
            {(byte) 0xC3}, // é cut after its first byte
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate half
            {(byte) 0xC0, (byte) 0xAF}, // an overlong "/"
            {(byte) 0xFF},
        };
        for (byte[] bytes : broken) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes("{\"prompt\":\"price: 5".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes("\",\"max_tokens\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JsonNode error = assertError(http.post("/v1/completions", body.toByteArray()), 400);
            assertTrue(error.get("message").asText().contains("not valid UTF-8"), error.toString());
        }
        assertEquals(200, http.post("/v1/completions", "{\"prompt\":\"price: 5€ café\",\"max_tokens\":1}").statusCode());
    }

    @Test
    void wrongTypesNameTheField() {
        badChat("\"messages\":\"hi\"", "messages");
        badChat(OK_MESSAGES + ",\"max_tokens\":\"12\"", "max_tokens");
        badChat(OK_MESSAGES + ",\"max_tokens\":1.5", "max_tokens");
        badChat(OK_MESSAGES + ",\"temperature\":\"hot\"", "temperature");
        badChat(OK_MESSAGES + ",\"stream\":\"yes\"", "stream");
        badChat(OK_MESSAGES + ",\"stop\":[1,2]", "stop");
        badChat(OK_MESSAGES + ",\"stream_options\":true", "stream_options");
        badChat("\"messages\":[{\"role\":\"user\",\"content\":42}]", "messages[0].content");
        badChat("\"messages\":[{\"role\":\"user\"}]", "messages[0].content");
        badChat("\"messages\":[null]", "messages[0]");
    }

    @Test
    void theAdminApiIsOffWithoutItsKey() {
        assertError(http.method("GET", "/admin/config"), 404);
    }

    @Test
    void emptyMessagesUnknownRoleAndImagePartsAre400() {
        badChat("\"messages\":[]", "messages");
        badChat("", "messages");
        badChat("\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]", "messages[0].role");
        badChat("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]",
                "messages[0].content[0]");
    }

    @Test
    void outOfRangeSamplingValuesAre400() {
        badChat(OK_MESSAGES + ",\"max_tokens\":-1", "max_tokens");
        badChat(OK_MESSAGES + ",\"max_tokens\":0", "max_tokens");
        badChat(OK_MESSAGES + ",\"max_completion_tokens\":-5", "max_completion_tokens");
        badChat(OK_MESSAGES + ",\"temperature\":-0.5", "temperature");
        badChat(OK_MESSAGES + ",\"top_p\":0", "top_p");
        badChat(OK_MESSAGES + ",\"top_p\":1.5", "top_p");
        badChat(OK_MESSAGES + ",\"top_k\":-3", "top_k");
        badChat(OK_MESSAGES + ",\"min_p\":2", "min_p");
        badChat(OK_MESSAGES + ",\"presence_penalty\":3", "presence_penalty");
        badChat(OK_MESSAGES + ",\"n\":2", "n");
        badChat(OK_MESSAGES + ",\"temperature\":1e999", "temperature");
    }

    @Test
    void limitsOnMessagesAndStopStringsAre400() {
        String many = String.join(",", java.util.Collections.nCopies(2049, "{\"role\":\"user\",\"content\":\"x\"}"));
        JsonNode messages = badChat("\"messages\":[" + many + "]", "messages");
        assertTrue(messages.get("message").asText().contains("at most 2048 messages"), messages.toString());
        String stops = String.join(",", java.util.Collections.nCopies(65, "\"s\""));
        assertTrue(badChat(OK_MESSAGES + ",\"stop\":[" + stops + "]", "stop").get("message").asText()
                .contains("at most 64"));
        badChat(OK_MESSAGES + ",\"stop\":\"" + "x".repeat(1025) + "\"", "stop");
        badChat(OK_MESSAGES + ",\"stop\":[\"\"]", "stop");
        // At the limits, requests are served.
        String stopsAtLimit = String.join(",", java.util.Collections.nCopies(64, "\"never\""));
        assertEquals(200, http.post(CHAT, "{" + OK_MESSAGES + ",\"max_tokens\":1,\"stop\":[" + stopsAtLimit + "]}")
                .statusCode());
    }

    @Test
    void contextOverflowIsRefusedWithVllmWording() {
        JsonNode error = badChat(OK_MESSAGES + ",\"max_tokens\":500", "messages");
        String message = error.get("message").asText();
        assertTrue(message.startsWith("This model's maximum context length is 128 tokens. However, you requested "),
                message);
        assertTrue(message.contains("in the messages, 500 in the completion)"), message);

        String longText = "word ".repeat(400);
        JsonNode tooLong = assertError(http.post("/v1/completions", "{\"prompt\":\"" + longText + "\"}"), 400);
        assertTrue(tooLong.get("message").asText().contains("maximum context length is 128 tokens"), tooLong.toString());
    }

    @Test
    void longRunsOfLettersAreTokenizedOrRefusedNeverACrash() {
        // A 20,000-letter run overflows a normal thread stack inside llama.cpp's regex pre-split
        // (SIGSEGV, found by FuzzIT). It is tokenized on a large stack, then refused for length.
        JsonNode counted = assertError(http.post("/v1/completions", "{\"prompt\":\"" + "a".repeat(20_000) + "\"}"), 400);
        assertTrue(counted.get("message").asText().contains("maximum context length"), counted.toString());
        JsonNode refused = assertError(http.post("/tokenize", "{\"prompt\":\"" + "a".repeat(150_000) + "\"}"), 400);
        assertTrue(refused.get("message").asText().contains("run of more than"), refused.toString());
        assertEquals(200, http.post("/v1/completions", "{\"prompt\":\"still alive\",\"max_tokens\":2}").statusCode());
    }

    @Test
    void outOfVocabularyTokenIdsAre400NotACrash() {
        assertError(http.post("/v1/completions", "{\"prompt\":[1,2,99999999]}"), 400);
        assertError(http.post("/v1/completions", "{\"prompt\":[-1]}"), 400);
        assertEquals(200, http.post("/v1/completions", "{\"prompt\":\"still alive\",\"max_tokens\":2}").statusCode());
    }

    @Test
    void unsupportedMediaTypeIs415() {
        assertError(http.post(CHAT, "text/plain", "{" + OK_MESSAGES + "}"), 415);
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "x".repeat((int) Server.MAX_BODY_BYTES + 10);
        assertError(http.post(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"" + huge + "\"}]}"), 413);
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405InJson() {
        assertError(http.method("GET", "/v1/nothing-here"), 404);
        assertError(http.method("GET", CHAT), 405);
        assertError(http.method("DELETE", "/v1/models"), 405);
        assertError(http.method("PUT", "/v1/completions"), 405);
    }

    @Test
    void unknownModelNameIs404WhenStrict() {
        JsonNode error = assertError(http.post(CHAT, "{\"model\":\"gpt-9\"," + OK_MESSAGES + "}"), 404);
        assertEquals("The model `gpt-9` does not exist.", error.get("message").asText());
        assertEquals(200, http.post(CHAT, "{\"model\":\"alias\"," + OK_MESSAGES + ",\"max_tokens\":1}").statusCode());
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertEquals(200, http.post(CHAT, "{" + OK_MESSAGES
                + ",\"max_tokens\":1,\"user\":\"u1\",\"whatever\":{\"nested\":[1]}}").statusCode());
    }
}
