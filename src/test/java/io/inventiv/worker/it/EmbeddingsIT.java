package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /v1/embeddings on the fixture: stable, unit-length, batch equals singles, every input form, counted. */
@ServerTest
class EmbeddingsIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean NATIVE = TestModels.ENGINE.equals("native");

    private final RawHttp http;
    private final OpenAIClient client;

    EmbeddingsIT(URI uri) {
        this.http = new RawHttp(uri);
        this.client = OpenAiClients.forServer(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void sameInputSameUnitVectorAndABatchEqualsSingleCalls() throws Exception {
        assumeTrue(NATIVE, "embeddings need the native engine");
        List<String> texts = List.of("the cat sat", "a longer sentence about a dog in the park", "日本語");
        float[][] singles = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            singles[i] = vector(embed(JSON.createObjectNode().put("input", texts.get(i))).get(0));
            assertArrayEquals(singles[i], vector(embed(JSON.createObjectNode().put("input", texts.get(i))).get(0)));
            double norm = 0;
            for (float v : singles[i]) {
                norm += v * v;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5, "norm of " + texts.get(i));
        }
        ObjectNode batch = JSON.createObjectNode();
        texts.forEach(batch.putArray("input")::add);
        JsonNode data = embed(batch);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(i, data.get(i).get("index").asInt());
            assertArrayEquals(singles[i], vector(data.get(i)), 1e-6f, "batch item " + i);
        }
    }

    @Test
    void tokenIdsBase64AndUsageAgreeWithText() throws Exception {
        assumeTrue(NATIVE, "embeddings need the native engine");
        JsonNode tokens = JSON.readTree(http.post("/tokenize", "{\"prompt\":\"hello world\"}").body()).get("tokens");
        ObjectNode byText = JSON.createObjectNode().put("input", "hello world");
        ObjectNode byIds = JSON.createObjectNode();
        byIds.set("input", tokens);
        ObjectNode nested = JSON.createObjectNode();
        nested.putArray("input").add(tokens).add(tokens);
        float[] text = vector(embed(byText).get(0));
        assertArrayEquals(text, vector(embed(byIds).get(0)));
        assertArrayEquals(text, vector(embed(nested).get(1)));
        double before = promptTokensTotal();
        JsonNode response = JSON.readTree(http.post("/v1/embeddings", byText.put("encoding_format", "base64")
                .toString()).body());
        byte[] raw = Base64.getDecoder().decode(response.path("data").path(0).path("embedding").asText());
        float[] decoded = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
        assertArrayEquals(text, decoded);
        assertEquals("list", response.get("object").asText());
        assertTrue(response.get("id").asText().startsWith("embd-"), response.toString());
        assertEquals(tokens.size(), response.path("usage").path("prompt_tokens").asInt(), response.toString());
        assertEquals(tokens.size(), response.path("usage").path("total_tokens").asInt(), response.toString());
        assertEquals(before + tokens.size(), promptTokensTotal(), 0.0);
    }

    @Test
    void theOpenAiClientReadsThem() {
        assumeTrue(NATIVE, "embeddings need the native engine");
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model(TestModels.MODEL_NAME).input("hello there").build());
        assertEquals(1, response.data().size());
        assertTrue(response.data().get(0).embedding().size() > 8, response.toString());
        assertTrue(response.usage().promptTokens() > 0, response.toString());
    }

    @Test
    void badInputsAre400sAndTheBindingSaysWhy() {
        for (String body : List.of("{\"input\":\"x\",\"dimensions\":8}", "{\"input\":\"x\",\"encoding_format\":\"hex\"}",
                "{\"input\":[]}", "{\"input\":[[]]}", "{\"input\":[1,\"a\"]}", "{\"input\":[99999999]}", "{}",
                "{\"input\":\"" + "word ".repeat(1100) + "\"}")) {
            ErrorEnvelope.assertError(http.post("/v1/embeddings", body), 400);
        }
        if (!NATIVE) {
            JsonNode error = ErrorEnvelope.assertError(http.post("/v1/embeddings", "{\"input\":\"x\"}"), 400);
            assertTrue(error.get("message").asText().contains("ENGINE=native"), error.toString());
        }
    }

    private JsonNode embed(ObjectNode body) throws Exception {
        var response = http.post("/v1/embeddings", body.put("model", TestModels.MODEL_NAME).toString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("data");
    }

    private double promptTokensTotal() {
        return MetricsScrape.parse(http.method("GET", "/metrics")).value("vllm:prompt_tokens_total"
                + "{engine=\"0\",model_name=\"" + TestModels.MODEL_NAME + "\"}");
    }

    private static float[] vector(JsonNode item) {
        JsonNode values = item.get("embedding");
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }
}
