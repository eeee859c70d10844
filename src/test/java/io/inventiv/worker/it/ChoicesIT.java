package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** n &gt; 1: one prompt evaluation, n indexed choices, the prompt counted once, whole and streamed alike. */
@ServerTest
class ChoicesIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 4, 8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean NATIVE = TestModels.ENGINE.equals("native");

    private final RawHttp http;

    ChoicesIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void threeChoicesDifferWithATemperatureAndThePromptCountsOnce() throws Exception {
        assumeTrue(NATIVE, "n > 1 needs the native engine");
        JsonNode single = post("/v1/chat/completions", chat(1, 1.0));
        double hitsBefore = prefixCacheHits();
        JsonNode three = post("/v1/chat/completions", chat(3, 1.0));
        int prompt = single.path("usage").path("prompt_tokens").asInt();
        assertTrue(prefixCacheHits() - hitsBefore >= 2.0 * (prompt - 1),
                "the second and third choices copied the first one's evaluated prompt");
        assertEquals(3, three.get("choices").size());
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            JsonNode choice = three.get("choices").get(i);
            assertEquals(i, choice.get("index").asInt());
            texts.add(choice.path("message").path("content").asText());
        }
        assertTrue(texts.size() > 1, "sampled choices differ: " + texts);
        JsonNode usage = three.get("usage");
        assertEquals(single.path("usage").path("prompt_tokens").asInt(), usage.get("prompt_tokens").asInt());
        assertEquals(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt(),
                usage.get("total_tokens").asInt());
        assertTrue(usage.get("completion_tokens").asInt() >= 3, usage.toString());
        assertTrue(usage.path("prompt_tokens_details").path("cached_tokens").asInt() >= 0, usage.toString());
    }

    @Test
    void streamedChoicesReassembleIntoTheWholeOnes() throws Exception {
        assumeTrue(NATIVE, "n > 1 needs the native engine");
        ObjectNode body = JSON.createObjectNode().put("prompt", "Once upon a time").put("max_tokens", 24)
                .put("temperature", 0).put("n", 2);
        JsonNode whole = post("/v1/completions", body);
        String stream = http.post("/v1/completions", body.put("stream", true).toString()).body();
        StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
        int finishes = 0;
        int usages = 0;
        for (String line : stream.split("\n")) {
            if (!line.startsWith("data: {")) {
                continue;
            }
            JsonNode chunk = JSON.readTree(line.substring(6));
            for (JsonNode choice : chunk.get("choices")) {
                texts[choice.get("index").asInt()].append(choice.get("text").asText());
                finishes += choice.get("finish_reason").isNull() ? 0 : 1;
            }
            usages += chunk.hasNonNull("usage") ? 1 : 0;
        }
        assertTrue(stream.strip().endsWith("data: [DONE]"), stream);
        assertEquals(2, finishes, stream);
        assertEquals(1, usages, stream);
        for (int i = 0; i < 2; i++) {
            assertEquals(whole.get("choices").get(i).get("text").asText(), texts[i].toString(), "choice " + i);
        }
    }

    @Test
    void tooManyChoicesAndTheBindingAre400s() {
        ErrorEnvelope.assertError(http.post("/v1/chat/completions", chat(5, 1.0).toString()), 400);
        ErrorEnvelope.assertError(http.post("/v1/chat/completions", chat(0, 1.0).toString()), 400);
        if (!NATIVE) {
            JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", chat(2, 1.0).toString()), 400);
            assertTrue(error.get("message").asText().contains("ENGINE=native"), error.toString());
        }
    }

    private static ObjectNode chat(int n, double temperature) {
        ObjectNode body = JSON.createObjectNode().put("model", TestModels.MODEL_NAME).put("max_tokens", 12)
                .put("temperature", temperature).put("seed", 11).put("n", n);
        body.putArray("messages").addObject().put("role", "user").put("content", "Tell me something.");
        return body;
    }

    private double prefixCacheHits() {
        return MetricsScrape.parse(http.method("GET", "/metrics")).value("vllm:prefix_cache_hits_total"
                + "{engine=\"0\",model_name=\"" + TestModels.MODEL_NAME + "\"}");
    }

    private JsonNode post(String path, ObjectNode body) throws Exception {
        var response = http.post(path, body.toString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
