package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text completions: prompts as text and as ids, streaming framing, stop strings, exact counts. */
@ServerTest
class CompletionsIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAIClient client;
    private final RawHttp http;

    CompletionsIT(URI uri) {
        this.client = OpenAiClients.forServer(uri);
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    private static CompletionCreateParams.Builder complete(String prompt, int maxTokens) {
        return CompletionCreateParams.builder()
                .model(TestModels.MODEL_NAME)
                .prompt(prompt)
                .maxTokens(maxTokens)
                .temperature(0.0)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
    }

    @Test
    void ignoreEosWithMaxTokensNGivesExactlyNStreamed() {
        for (int n : new int[] {1, 5, 64}) {
            List<Completion> chunks = new ArrayList<>();
            try (StreamResponse<Completion> stream = client.completions()
                    .createStreaming(complete("the quick brown fox", n).build())) {
                stream.stream().forEach(chunks::add);
            }
            Completion usageChunk = chunks.getLast();
            assertTrue(usageChunk.choices().isEmpty());
            assertEquals(n, usageChunk.usage().orElseThrow().completionTokens(), "max_tokens=" + n);
            Completion finish = chunks.get(chunks.size() - 2);
            assertEquals(CompletionChoice.FinishReason.LENGTH, finish.choices().getFirst().finishReason());
            assertTrue(finish.id().matches("cmpl-[0-9a-f]{32}"), finish.id());
        }
    }

    @Test
    void ignoreEosHoldsWhenSamplingTheWholeVocabulary() {
        // At temperature 1 with no top-k/min-p cut, llama.cpp's own ignore_eos let a sampled
        // <|endoftext|> end generations after as few as 14 tokens; every end token is masked now.
        for (long seed = 1; seed <= 4; seed++) {
            List<Completion> chunks = new ArrayList<>();
            try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
                    .model(TestModels.MODEL_NAME).prompt("storm").maxTokens(400).temperature(1.0).seed(seed)
                    .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build())) {
                stream.stream().forEach(chunks::add);
            }
            long deltas = chunks.stream().filter(c -> !c.choices().isEmpty() && !c.choices().getFirst().text().isEmpty())
                    .count();
            // Tokens that end inside a UTF-8 character arrive joined to the next one, so a few
            // fewer deltas than tokens are normal; an early stop would leave far fewer.
            assertTrue(deltas > 250, "seed " + seed + ": only " + deltas + " text deltas for 400 tokens");
            assertEquals(400, chunks.getLast().usage().orElseThrow().completionTokens());
        }
    }

    @Test
    void promptTokensEqualTheTokenizerCountForTextAndIdPrompts() throws Exception {
        Completion text = client.completions().create(complete("hello world, hello", 1).build());
        long promptTokens = text.usage().orElseThrow().promptTokens();
        int[] ids = TestModels.engine(CONFIG).tokenize("hello world, hello", true);
        assertEquals(ids.length, promptTokens);

        StringBuilder idList = new StringBuilder();
        for (int id : ids) {
            idList.append(idList.isEmpty() ? "" : ",").append(id);
        }
        HttpResponse<String> byIds = http.post("/v1/completions", "{\"prompt\":[" + idList
                + "],\"max_tokens\":3,\"temperature\":0,\"ignore_eos\":true}");
        assertEquals(200, byIds.statusCode(), byIds.body());
        JsonNode usage = JSON.readTree(byIds.body()).get("usage");
        assertEquals(ids.length, usage.get("prompt_tokens").asInt());
        assertEquals(3, usage.get("completion_tokens").asInt());
        assertEquals(ids.length + 3, usage.get("total_tokens").asInt());
    }

    @Test
    void stopStringEndsWithFinishReasonStopAndIsNotInTheText() {
        String full = client.completions().create(complete("the quick brown fox", 40).build())
                .choices().getFirst().text();
        assertTrue(full.length() > 4, "fixture produced text: " + full);
        // Stop on a piece of the greedy output, so the stop is sure to be met.
        String stop = full.substring(full.length() / 2, full.length() / 2 + 2);
        Completion stopped = client.completions().create(complete("the quick brown fox", 40)
                .stop(stop).build());
        CompletionChoice choice = stopped.choices().getFirst();
        assertEquals(CompletionChoice.FinishReason.STOP, choice.finishReason());
        assertEquals(full.substring(0, full.indexOf(stop)), choice.text());
        assertFalse(choice.text().contains(stop));
        assertEquals(stop, choice._additionalProperties().get("stop_reason").asString().orElseThrow(),
                "vLLM reports the matched stop string");
        long tokens = stopped.usage().orElseThrow().completionTokens();
        assertTrue(tokens >= 1 && tokens < 40, "tokens up to the stop: " + tokens);
    }

    @Test
    void streamFramesAreDataLinesOfOneLineJsonEndingWithDone() {
        HttpResponse<String> response = http.post("/v1/completions",
                "{\"prompt\":\"abc\",\"max_tokens\":4,\"stream\":true,\"ignore_eos\":true}");
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        List<String> events = new ArrayList<>();
        for (String frame : response.body().split("\n\n")) {
            if (!frame.startsWith(":")) {
                events.add(frame);
            }
        }
        assertEquals("data: [DONE]", events.getLast());
        for (String event : events) {
            assertTrue(event.startsWith("data: ") && !event.contains("\n"), "frame: " + event);
        }
        assertTrue(events.get(events.size() - 2).contains("\"completion_tokens\":4"), events.toString());
    }
}
