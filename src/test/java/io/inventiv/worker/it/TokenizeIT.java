package io.inventiv.worker.it;

import static io.inventiv.worker.it.ErrorEnvelope.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** /tokenize and /detokenize in vLLM's shapes, agreeing with the usage that completions report. */
@ServerTest
class TokenizeIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 1, 4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGES = "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"hello world\"}]";

    private final RawHttp http;

    TokenizeIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    private JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void tokenizeAgreesWithUsageForPromptsAndMessages() throws Exception {
        JsonNode prompt = ok(http.post("/tokenize", "{\"prompt\":\"the quick brown fox\"}"));
        assertEquals(prompt.get("tokens").size(), prompt.get("count").asInt());
        assertEquals(CONFIG.maxModelLen(), prompt.get("max_model_len").asInt());
        JsonNode completion = ok(http.post("/v1/completions", "{\"prompt\":\"the quick brown fox\",\"max_tokens\":1}"));
        assertEquals(prompt.get("count").asInt(), completion.get("usage").get("prompt_tokens").asInt());

        JsonNode chat = ok(http.post("/tokenize", "{" + MESSAGES + "}"));
        JsonNode chatCompletion = ok(http.post("/v1/chat/completions", "{" + MESSAGES + ",\"max_tokens\":1}"));
        assertEquals(chat.get("count").asInt(), chatCompletion.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void detokenizeInvertsTokenize() throws Exception {
        JsonNode tokens = ok(http.post("/tokenize", "{\"prompt\":\"hello world, once more\"}")).get("tokens");
        JsonNode text = ok(http.post("/detokenize", "{\"tokens\":" + tokens + "}"));
        assertEquals("hello world, once more", text.get("prompt").asText());
    }

    @Test
    void outOfVocabularyIdsAre400AndNeverReachNativeDecode() throws Exception {
        assertError(http.post("/detokenize", "{\"tokens\":[1,2,512]}"), 400);
        assertError(http.post("/detokenize", "{\"tokens\":[-1]}"), 400);
        assertError(http.post("/detokenize", "{\"tokens\":[2147483648]}"), 400);
        assertError(http.post("/detokenize", "{\"tokens\":\"12\"}"), 400);
        assertError(http.post("/tokenize", "{}"), 400);
        assertEquals("hello", ok(http.post("/detokenize", "{\"tokens\":"
                + ok(http.post("/tokenize", "{\"prompt\":\"hello\"}")).get("tokens") + "}")).get("prompt").asText());
    }
}
