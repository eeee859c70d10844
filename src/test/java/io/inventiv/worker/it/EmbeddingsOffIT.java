package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** EMBEDDINGS=false: the route answers as vLLM does for a model without the Embeddings API. */
@ServerTest
class EmbeddingsOffIT {
    static final ServerConfig CONFIG = TestModels.withoutEmbeddings(TestModels.config(TestModels.tinyQwen(), 1, 4));

    private final RawHttp http;

    EmbeddingsOffIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void switchedOffIsVllmsError() {
        JsonNode error = ErrorEnvelope.assertError(http.post("/v1/embeddings", "{\"input\":\"hello\"}"), 400);
        assertEquals("The model does not support Embeddings API", error.get("message").asText());
    }
}
