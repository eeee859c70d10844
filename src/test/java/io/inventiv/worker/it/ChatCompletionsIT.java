package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chat completions through the official OpenAI client against the qwen2 fixture. */
@ServerTest
class ChatCompletionsIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8);

    private final OpenAIClient client;

    ChatCompletionsIT(URI uri) {
        this.client = OpenAiClients.forServer(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    private static ChatCompletionCreateParams.Builder chat(int maxTokens) {
        return ChatCompletionCreateParams.builder()
                .model(TestModels.MODEL_NAME)
                .addSystemMessage("You are terse.")
                .addUserMessage("Say hello to the world.")
                .maxCompletionTokens(maxTokens)
                .temperature(0.0)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
    }

    @Test
    void ignoreEosWithMaxTokensNGivesExactlyNWhole() {
        for (int n : new int[] {1, 7, 33}) {
            ChatCompletion completion = client.chat().completions().create(chat(n).build());
            CompletionUsage usage = completion.usage().orElseThrow();
            assertEquals(n, usage.completionTokens(), "completion tokens for max_tokens=" + n);
            assertEquals(usage.promptTokens() + n, usage.totalTokens());
            assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, completion.choices().getFirst().finishReason());
            assertTrue(completion.id().matches("chatcmpl-[0-9a-f]{32}"), completion.id());
            assertEquals(TestModels.MODEL_NAME, completion.model());
        }
    }

    @Test
    void streamSendsRoleFirstThenDeltasFinishAndUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(12).build())) {
            stream.stream().forEach(chunks::add);
        }
        ChatCompletionChunk first = chunks.getFirst();
        assertEquals("assistant", first.choices().getFirst().delta().role().orElseThrow().asString());
        assertEquals("", first.choices().getFirst().delta().content().orElseThrow());

        ChatCompletionChunk last = chunks.getLast();
        assertTrue(last.choices().isEmpty(), "the usage chunk has no choices");
        CompletionUsage usage = last.usage().orElseThrow();
        assertEquals(12, usage.completionTokens());

        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertEquals(ChatCompletionChunk.Choice.FinishReason.LENGTH,
                finish.choices().getFirst().finishReason().orElseThrow());
        for (ChatCompletionChunk chunk : chunks.subList(1, chunks.size() - 2)) {
            assertFalse(chunk.choices().getFirst().finishReason().isPresent(), "only the finish chunk has a reason");
        }
    }

    @Test
    void streamAndWholeAnswersAgreeAtTemperatureZero() {
        ChatCompletion whole = client.chat().completions().create(chat(16).build());
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(16).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(
                    choice -> choice.delta().content().ifPresent(streamed::append)));
        }
        assertEquals(whole.choices().getFirst().message().content().orElseThrow(), streamed.toString());
    }

    @Test
    void promptTokensMatchTheTemplatedPromptCountedOnce() {
        ChatCompletion one = client.chat().completions().create(chat(1).build());
        ChatCompletion longer = client.chat().completions().create(chat(1)
                .addUserMessage("And once more, with more words in it.").build());
        long shortPrompt = one.usage().orElseThrow().promptTokens();
        long longPrompt = longer.usage().orElseThrow().promptTokens();
        assertTrue(shortPrompt > 10, "system + user + ChatML markers, got " + shortPrompt);
        assertTrue(longPrompt > shortPrompt + 5, shortPrompt + " then " + longPrompt);
    }
}
