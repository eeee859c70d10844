package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpStreamDriverTest {
    private FakeOpenAiServer server;
    private LoopbackHttp client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
        client = HttpStreamDriver.newClient(server.base());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpStreamDriver driver(BenchPrompt prompt, Duration timeout) {
        return new HttpStreamDriver(client, "fake-model", prompt, BenchSampling.GREEDY, timeout);
    }

    @Test
    void framesAreTimedAsTheyArrive() throws Exception {
        server.firstTokenDelayMillis = 80;
        server.tokenGapMillis = 25;
        BenchPrompt prompt = HttpStreamDriver.preparePrompt(client, "fake-model", 8);
        StreamResult result = driver(prompt, Duration.ofSeconds(10)).run(0, 5);
        assertTrue(result.ok(), result.error());
        assertTrue(result.ttftMillis() >= 80, "TTFT " + result.ttftMillis());
        assertTrue(result.ttftMillis() < 1000, "TTFT " + result.ttftMillis());
        assertEquals(4, result.interTokenNanos().length);
        for (long gap : result.interTokenNanos()) {
            assertTrue(gap >= 20_000_000, "gap " + gap); // sleeps may end a little early, never much
        }
        assertEquals(5, result.completionTokens());
        assertEquals(8, result.promptTokens(), "the usage chunk's prompt_tokens");
        double rate = result.decodeTokensPerSecond();
        assertTrue(rate > 10 && rate <= 4 / 0.080 + 1, "4 tokens after the first in ~100 ms, got " + rate);
    }

    @Test
    void promptGoesAsExactTokenIdsRotatedPerRequest() throws Exception {
        BenchPrompt prompt = HttpStreamDriver.preparePrompt(client, "fake-model", 12);
        assertTrue(prompt.exact());
        HttpStreamDriver driver = driver(prompt, Duration.ofSeconds(10));
        driver.run(0, 1);
        driver.run(1, 1);
        JsonNode first = server.completionBodies.get(0);
        JsonNode second = server.completionBodies.get(1);
        assertEquals(12, first.path("prompt").size());
        assertEquals(12, second.path("prompt").size());
        assertNotEquals(first.path("prompt").get(0), second.path("prompt").get(0), "no shared cached prefix");
        assertTrue(first.path("ignore_eos").asBoolean());
        assertTrue(first.path("stream").asBoolean());
        assertEquals(1, first.path("max_tokens").asInt());
        assertEquals(0.0, first.path("temperature").asDouble());
        assertEquals(1, first.path("top_k").asInt());
        assertEquals("fake-model", first.path("model").asText());
    }

    @Test
    void withoutTokenizeThePromptIsApproximateText() throws Exception {
        server.tokenize = false;
        BenchPrompt prompt = HttpStreamDriver.preparePrompt(client, "fake-model", 10);
        assertFalse(prompt.exact());
        driver(prompt, Duration.ofSeconds(10)).run(3, 2);
        JsonNode body = server.completionBodies.get(0);
        assertTrue(body.path("prompt").isTextual());
        assertEquals(10, body.path("prompt").asText().split(" ").length);
    }

    @Test
    void withoutUsageChunkDeltasAreCounted() throws Exception {
        server.sendUsage = false;
        StreamResult result = driver(BenchPrompt.approximateText(4), Duration.ofSeconds(10)).run(0, 3);
        assertTrue(result.ok());
        assertEquals(3, result.completionTokens());
        assertEquals(-1, result.promptTokens());
    }

    @Test
    void errorStatusIsCountedByStatus() throws Exception {
        server.fail503Every = 1;
        StreamResult result = driver(BenchPrompt.approximateText(4), Duration.ofSeconds(10)).run(0, 3);
        assertEquals("503", result.errorKind());
        assertTrue(result.error().contains("busy"));
    }

    @Test
    void streamThatStallsIsEndedAtTheTimeout() throws Exception {
        server.stallAfterFirstToken = true;
        long start = System.nanoTime();
        StreamResult result = driver(BenchPrompt.approximateText(4), Duration.ofMillis(700)).run(0, 3);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(result.ok());
        assertEquals("timeout", result.errorKind(), result.error());
        assertTrue(millis < 5000, "ended after " + millis + " ms");
    }

    @Test
    void modelIsDiscoveredFromTheModelList() throws Exception {
        assertEquals("fake-model", HttpStreamDriver.discoverModel(client));
    }
}
