package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** With stories260K (a real, tiny English model) the server writes real English. */
@ServerTest
class RealTextIT {
    /** When the shared model is absent the tests are skipped; the fixture keeps the server loadable. */
    static final Path MODEL = TestModels.stories().orElse(TestModels.tinyQwen());
    static final ServerConfig CONFIG = TestModels.config(MODEL, 1, 4);

    private final OpenAIClient client;

    RealTextIT(URI uri) {
        this.client = OpenAiClients.forServer(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void completionOfAStoryOpeningIsEnglish() {
        Assumptions.assumeTrue(TestModels.stories().isPresent(), "needs ../shared/models/stories260K.gguf");
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(TestModels.MODEL_NAME).prompt("Once upon a time").maxTokens(40).temperature(0.0).build());
        String text = completion.choices().getFirst().text();
        // The shared README gives the greedy continuation.
        assertTrue(text.startsWith(", there was a little"), text);
        long englishWords = Arrays.stream(text.split("[^A-Za-z]+"))
                .filter(word -> word.matches("(?i)the|a|was|there|little|and|to|she|he|her|his|day|play|named"))
                .count();
        assertTrue(englishWords >= 5, "common English words in: " + text);
        // Greedy decoding reaches no end-of-story within 40 tokens.
        assertEquals(40, completion.usage().orElseThrow().completionTokens());
        assertEquals("length", completion.choices().getFirst().finishReason().asString());
    }
}
