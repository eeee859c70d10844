package io.inventiv.worker.it;

import static io.inventiv.worker.it.ErrorEnvelope.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With API_KEY set, the model routes want the bearer key; health, version and metrics stay open. */
@ServerTest
class ApiKeyIT {
    static final String KEY = "s3cret-key";
    static final ServerConfig CONFIG = TestModels.withApiKey(TestModels.config(TestModels.tinyQwen(), 1, 4), KEY);

    private final URI uri;

    ApiKeyIT(URI uri) {
        this.uri = uri;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri.resolve(path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void modelRoutesNeedTheKey() throws Exception {
        assertError(get("/v1/models", null), 401);
        assertError(get("/v1/models", "Bearer wrong"), 401);
        assertError(get("/v1/models", KEY), 401);
        assertError(get("/v1/models", "Bearer " + KEY + "x"), 401);
        assertEquals(200, get("/v1/models", "Bearer " + KEY).statusCode());
        assertError(get("/tokenize", null), 401);
    }

    @Test
    void healthVersionAndMetricsStayOpen() throws Exception {
        for (String path : List.of("/health", "/ping", "/version", "/metrics")) {
            assertEquals(200, get(path, null).statusCode(), path);
        }
    }

    @Test
    void theOfficialClientSendsTheKeyAsBearer() {
        var client = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                .baseUrl(uri.toString().replaceAll("/$", "") + "/v1").apiKey(KEY).maxRetries(0).build();
        assertEquals(TestModels.MODEL_NAME, client.models().list().data().getFirst().id());
    }
}
