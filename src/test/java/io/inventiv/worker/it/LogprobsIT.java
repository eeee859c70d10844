package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log-probabilities, chat and completions, whole and streamed, against greedy decoding's own choices. */
@ServerTest
class LogprobsIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean NATIVE = TestModels.ENGINE.equals("native");

    private final RawHttp http;
    private final OpenAIClient client;

    LogprobsIT(URI uri) {
        this.http = new RawHttp(uri);
        this.client = OpenAiClients.forServer(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void greedyChatTokensAreTheirOwnTopOneAndSpellTheContent() throws Exception {
        assumeTrue(NATIVE, "logprobs need the native engine");
        JsonNode choice = post("/v1/chat/completions", chat(5)).path("choices").path(0);
        JsonNode tokens = choice.path("logprobs").path("content");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (JsonNode token : tokens) {
            assertTrue(token.get("logprob").asDouble() <= 0, token.toString());
            assertEquals(5, token.get("top_logprobs").size(), token.toString());
            JsonNode best = token.get("top_logprobs").get(0);
            assertEquals(token.get("bytes"), best.get("bytes"), "greedy picks the most likely token: " + token);
            assertEquals(token.get("logprob").asDouble(), best.get("logprob").asDouble(), 1e-6);
            for (int i = 1; i < 5; i++) {
                assertTrue(token.get("top_logprobs").get(i).get("logprob").asDouble() <= best.get("logprob").asDouble());
            }
            token.get("bytes").forEach(b -> bytes.write(b.asInt()));
        }
        assertEquals(post("/v1/chat/completions", chat(5)).path("usage").path("completion_tokens").asInt(),
                tokens.size(), "one entry per generated token, an end token included");
        assertEquals(choice.path("message").path("content").asText(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void streamedLogprobsReassembleIntoTheWholeOnes() throws Exception {
        assumeTrue(NATIVE, "logprobs need the native engine");
        JsonNode whole = post("/v1/chat/completions", chat(3)).path("choices").path(0).path("logprobs").path("content");
        ArrayNode streamed = JSON.createArrayNode();
        String body = http.post("/v1/chat/completions", chat(3).put("stream", true).toString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode logprobs = JSON.readTree(line.substring(6)).path("choices").path(0).path("logprobs");
                logprobs.path("content").forEach(streamed::add);
            }
        }
        assertEquals(whole.size(), streamed.size());
        for (int i = 0; i < whole.size(); i++) {
            // The second run reuses the first one's prompt from the slot: the same tokens, values within float noise.
            assertEquals(whole.get(i).get("bytes"), streamed.get(i).get("bytes"), "token " + i);
            assertEquals(whole.get(i).get("logprob").asDouble(), streamed.get(i).get("logprob").asDouble(), 1e-3);
        }
    }

    @Test
    void completionColumnsLineUp() throws Exception {
        assumeTrue(NATIVE, "logprobs need the native engine");
        ObjectNode body = JSON.createObjectNode().put("prompt", "Once upon").put("max_tokens", 12).put("temperature", 0)
                .put("logprobs", 3);
        JsonNode response = post("/v1/completions", body);
        JsonNode logprobs = response.path("choices").path(0).get("logprobs");
        int n = logprobs.get("tokens").size();
        assertEquals(response.path("usage").path("completion_tokens").asInt(), n);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            assertEquals(text.length(), logprobs.get("text_offset").get(i).asInt());
            String token = logprobs.get("tokens").get(i).asText();
            text.append(token);
            JsonNode top = logprobs.get("top_logprobs").get(i);
            assertEquals(3, top.size(), top.toString());
            assertEquals(logprobs.get("token_logprobs").get(i).asDouble(), top.get(token).asDouble(), 1e-6);
        }
    }

    @Test
    void theOpenAiClientReadsThemAndLimitsAre400s() {
        if (NATIVE) {
            ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(TestModels.MODEL_NAME).addUserMessage("hi").maxCompletionTokens(4).logprobs(true)
                    .topLogprobs(2).build());
            var content = completion.choices().get(0).logprobs().orElseThrow().content().orElseThrow();
            assertTrue(!content.isEmpty() && content.stream().allMatch(t -> t.topLogprobs().size() == 2),
                    completion.toString());
        } else {
            JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", chat(1).toString()), 400);
            assertTrue(error.get("message").asText().contains("ENGINE=native"), error.toString());
        }
        for (String body : List.of("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"logprobs\":true,\"top_logprobs\":21}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}")) {
            ErrorEnvelope.assertError(http.post("/v1/chat/completions", body), 400);
        }
        ErrorEnvelope.assertError(http.post("/v1/completions", "{\"prompt\":\"x\",\"logprobs\":-1}"), 400);
        ErrorEnvelope.assertError(http.post("/v1/completions", "{\"prompt\":\"x\",\"prompt_logprobs\":1}"), 400);
    }

    private static ObjectNode chat(int top) {
        ObjectNode body = JSON.createObjectNode().put("model", TestModels.MODEL_NAME).put("max_tokens", 16)
                .put("temperature", 0).put("logprobs", true).put("top_logprobs", top);
        body.putArray("messages").addObject().put("role", "user").put("content", "Tell me a story.");
        return body;
    }

    private JsonNode post(String path, ObjectNode body) throws Exception {
        var response = http.post(path, body.toString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
