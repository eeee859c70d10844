package io.inventiv.worker.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.net.URI;
import java.time.Duration;

/** The official OpenAI Java client, pointed at a test server, as real consumers use it. */
final class OpenAiClients {
    private OpenAiClients() {
    }

    static OpenAIClient forServer(URI uri) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(uri.toString().replaceAll("/$", "") + "/v1")
                .apiKey("unused")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(60))
                .build();
    }
}
