package io.inventiv.worker.it;

import static io.inventiv.worker.it.ErrorEnvelope.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.Server;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.api.AccessLogFilter;
import io.inventiv.worker.engine.EngineChoice;
import io.inventiv.worker.api.ClientConnections;
import io.inventiv.worker.api.ServerState;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.engine.binding.GpuOffload;
import io.inventiv.worker.metrics.VllmMetrics;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener answers before the model is loaded, and says so with 503 until it is. */
@ServerTest
class ReadinessIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 1, 4);
    static final ServerState STATE = new ServerState();

    private final RawHttp http;

    ReadinessIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        VllmMetrics metrics = new VllmMetrics(CONFIG.primaryModelName(), CONFIG.maxModelLen(), CONFIG.parallel());
        new Server(CONFIG, STATE, metrics, new AccessLogFilter(metrics::recordHttp), ClientConnections.NONE,
                EngineChoice.resolve(TestModels.ENGINE, null))
                .routing(routing);
    }

    @Test
    void modelRoutesAnswer503WhileLoadingAnd200Once() {
        for (String path : List.of("/health", "/ping", "/v1/models")) {
            JsonNode error = assertError(http.method("GET", path), 503);
            assertTrue(error.get("message").asText().matches("The model is loading \\(\\d+\\.\\d s elapsed\\).*"),
                    error.toString());
        }
        assertError(http.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 503);
        assertError(http.post("/tokenize", "{\"prompt\":\"hi\"}"), 503);
        // Open while loading: operators can still see the process.
        assertEquals(200, http.method("GET", "/metrics").statusCode());
        assertEquals(200, http.method("GET", "/version").statusCode());

        STATE.markReady(TestModels.engine(CONFIG));

        assertEquals(200, http.method("GET", "/health").statusCode());
        assertEquals(200, http.method("GET", "/ping").statusCode());
        assertTrue(http.method("GET", "/v1/models").body().contains("\"id\":\"" + TestModels.MODEL_NAME + "\""));
        assertEquals(200, http.post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":1}").statusCode());
        String version = http.method("GET", "/version").body();
        if (TestModels.ENGINE.equals("native")) {
            assertTrue(version.startsWith("{\"version\":\"" + Server.VERSION + "\",\"engine\":\"native\",\"llama_cpp\":\"v0.5.0\","
                    + "\"llama_cpp_commit\":\"de3ff81\",\"native_build\":\"cpu-native\",\"cpu\":\"CPU : "), version);
            assertTrue(version.endsWith(",\"devices\":[\"CPU\"]}"), version);
        } else {
            // The test configuration asks for 0 GPU layers; the backend is what this machine's library has.
            assertEquals("{\"version\":\"" + Server.VERSION + "\",\"engine\":\"binding\",\"llama_cpp\":\"b4916\","
                    + "\"binding\":\"4.2.0\",\"gpu_backend\":\"" + GpuOffload.resolve(0).backend()
                    + "\",\"n_gpu_layers\":0}", version);
        }
    }
}
