package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Prompt-cache reuse per slot (native engine): a request whose prompt shares a prefix with what a
 * free slot holds evaluates only the rest, says so in usage.prompt_tokens_details.cached_tokens and
 * vLLM's prefix-cache counters, and writes exactly the text of a cold run. On stories260K, which
 * writes English with confident greedy choices; skipped where ../shared/models lacks it.
 */
@ServerTest
class PrefixCacheIT {
    private static final Path MODEL = TestModels.stories().orElse(TestModels.tinyQwen());
    static final ServerConfig CONFIG = TestModels.config(MODEL, 3, 5, 768, false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARED = "Once upon a time, there was a little girl named Lily. She lived in a small "
            + "house near the woods with her mother, her father and a big brown dog. Every morning";
    private static final String SERIES = "{engine=\"0\",model_name=\"" + TestModels.MODEL_NAME + "\"}";

    private final RawHttp http;

    PrefixCacheIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void aSharedPrefixIsReusedAndTheTextIsThatOfAColdRun() throws Exception {
        assumeTrue(TestModels.ENGINE.equals("native"), "only the native engine sees its prompt cache");
        assumeTrue(TestModels.stories().isPresent(), "needs ../shared/models/stories260K.gguf");
        String first = SHARED + " she walked to the river.";
        String second = SHARED + " the dog barked at the birds in the tall trees.";
        int shared = commonPrefix(tokens(first), tokens(second));

        JsonNode cold = complete(second);
        complete(first); // takes the slot that holds `second`: their prefix is the longest match
        double queriesBefore = metric("vllm:prefix_cache_queries_total");
        double hitsBefore = metric("vllm:prefix_cache_hits_total");
        JsonNode warm = complete(second);

        assertEquals(shared, warm.at("/usage/prompt_tokens_details/cached_tokens").asInt(), warm.toString());
        assertEquals(text(cold), text(warm), "greedy text with the prefix reused");
        int promptTokens = warm.at("/usage/prompt_tokens").asInt();
        assertEquals(promptTokens, metric("vllm:prefix_cache_queries_total") - queriesBefore);
        assertEquals(shared, metric("vllm:prefix_cache_hits_total") - hitsBefore);

        JsonNode again = complete(second);
        assertEquals(promptTokens - 1, again.at("/usage/prompt_tokens_details/cached_tokens").asInt(),
                "the same prompt again reuses all of it but the token that yields the first logits");
        assertEquals(text(cold), text(again));
    }

    private JsonNode complete(String prompt) throws Exception {
        HttpResponse<String> response = http.post("/v1/completions", JSON.createObjectNode()
                .put("model", TestModels.MODEL_NAME).put("prompt", prompt).put("max_tokens", 24)
                .put("temperature", 0).toString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private int[] tokens(String prompt) throws Exception {
        HttpResponse<String> response = http.post("/tokenize",
                JSON.createObjectNode().put("model", TestModels.MODEL_NAME).put("prompt", prompt).toString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode ids = JSON.readTree(response.body()).get("tokens");
        int[] tokens = new int[ids.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = ids.get(i).asInt();
        }
        return tokens;
    }

    private double metric(String name) {
        return MetricsScrape.parse(http.method("GET", "/metrics")).value(name + SERIES);
    }

    private static String text(JsonNode completion) {
        return completion.at("/choices/0/text").asText();
    }

    private static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < Math.min(a.length, b.length) && a[i] == b[i]) {
            i++;
        }
        assertTrue(i > 10 && i < Math.min(a.length, b.length), "the prompts share a prefix of " + i + " tokens");
        return i;
    }
}
