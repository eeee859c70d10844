package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.FaultSettings;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The admin API changes the faults at run time, checks a change whole, and resets to the start settings. */
@ServerTest
class AdminIT {
    static final ServerConfig CONFIG = TestModels.withFaults(TestModels.config(TestModels.tinyQwen(), 1, 4), "adm1n",
            FaultSettings.NONE);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Bearer adm1n";
    private static final String WHOLE = "{\"prompt\":\"hi\",\"max_tokens\":2}";

    private final RawHttp http;

    AdminIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void aChangeAppliesAtOnceAndResetUndoesIt() throws Exception {
        JsonNode start = config(http.request("GET", "/admin/config", null, "Authorization", AUTH));
        assertEquals(0.0, start.path("faults").path("error_rate").asDouble());
        JsonNode changed = config(http.request("PUT", "/admin/config",
                "{\"faults\":{\"error_rate\":1.0,\"error_statuses\":[429]}}", "Authorization", AUTH));
        assertEquals(1.0, changed.path("faults").path("error_rate").asDouble());
        ErrorEnvelope.assertError(http.post("/v1/completions", WHOLE), 429);
        changed = config(http.request("PUT", "/admin/config",
                "{\"faults\":{\"error_statuses\":[\"model_not_found\"]}}", "Authorization", AUTH));
        assertEquals("[\"model_not_found\"]", changed.path("faults").path("error_statuses").toString());
        assertEquals("model", ErrorEnvelope.assertError(http.post("/v1/completions", WHOLE), 404).get("param").asText());
        config(http.request("POST", "/admin/reset", null, "Authorization", AUTH));
        assertEquals(200, http.post("/v1/completions", WHOLE).statusCode());
    }

    @Test
    void aBadFieldIsA400NamingItAndNothingIsApplied() throws Exception {
        JsonNode error = ErrorEnvelope.assertError(http.request("PUT", "/admin/config",
                "{\"faults\":{\"every_n\":3,\"error_rate\":2}}", "Authorization", AUTH), 400);
        assertEquals("faults.error_rate", error.get("param").asText(), error.toString());
        error = ErrorEnvelope.assertError(http.request("PUT", "/admin/config",
                "{\"faults\":{\"every_n\":\"3\"}}", "Authorization", AUTH), 400);
        assertEquals("faults.every_n", error.get("param").asText(), error.toString());
        ErrorEnvelope.assertError(http.request("PUT", "/admin/config", "{\"tokens\":{}}", "Authorization", AUTH), 400);
        error = ErrorEnvelope.assertError(http.request("PUT", "/admin/config",
                "{\"faults\":{\"error_statuses\":[429,\"teapot\"]}}", "Authorization", AUTH), 400);
        assertEquals("faults.error_statuses", error.get("param").asText(), error.toString());
        error = ErrorEnvelope.assertError(http.request("PUT", "/admin/config",
                "{\"faults\":{\"every_n\":3},\"latency\":{\"itl_ms\":-1}}", "Authorization", AUTH), 400);
        assertEquals("latency.itl_ms", error.get("param").asText(), error.toString());
        JsonNode now = config(http.request("GET", "/admin/config", null, "Authorization", AUTH));
        assertEquals(0, now.path("faults").path("every_n").asInt(), "nothing applied half-way: " + now);
    }

    @Test
    void latencyTargetsChangeAtRunTime() throws Exception {
        JsonNode changed = config(http.request("PUT", "/admin/config", "{\"latency\":{\"ttft_ms\":400}}",
                "Authorization", AUTH));
        assertEquals(400.0, changed.path("latency").path("ttft_ms").asDouble());
        long start = System.nanoTime();
        assertEquals(200, http.post("/v1/completions", WHOLE).statusCode());
        long millis = (System.nanoTime() - start) / 1_000_000;
        config(http.request("POST", "/admin/reset", null, "Authorization", AUTH));
        assertTrue(millis >= 380, "the first token waited for its target: " + millis + " ms");
    }

    @Test
    void everyNthRequestFails() throws Exception {
        config(http.request("PUT", "/admin/config", "{\"faults\":{\"every_n\":3,\"error_statuses\":[503]}}",
                "Authorization", AUTH));
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            statuses.append(http.post("/v1/completions", WHOLE).statusCode()).append(' ');
        }
        config(http.request("POST", "/admin/reset", null, "Authorization", AUTH));
        assertEquals("200 200 503 200 200 503 ", statuses.toString());
    }

    @Test
    void deterministicModeSwitchesAtRunTime() throws Exception {
        String sampled = "{\"prompt\":\"Once\",\"max_tokens\":12,\"temperature\":1.5}";
        ErrorEnvelope.assertError(http.request("PUT", "/admin/config", "{\"deterministic\":\"yes\"}",
                "Authorization", AUTH), 400);
        if (!TestModels.ENGINE.equals("native")) {
            JsonNode error = ErrorEnvelope.assertError(http.request("PUT", "/admin/config",
                    "{\"deterministic\":true,\"faults\":{\"every_n\":2}}", "Authorization", AUTH), 400);
            assertEquals("deterministic", error.get("param").asText(), error.toString());
            assertEquals(0, config(http.request("GET", "/admin/config", null, "Authorization", AUTH))
                    .path("faults").path("every_n").asInt(), "nothing applied half-way");
            return;
        }
        JsonNode on = config(http.request("PUT", "/admin/config", "{\"deterministic\":true}", "Authorization", AUTH));
        assertTrue(on.path("deterministic").asBoolean(), on.toString());
        String first = text(http.post("/v1/completions", sampled));
        assertEquals(first, text(http.post("/v1/completions", sampled)), "no seed, yet the same answer");
        JsonNode reset = config(http.request("POST", "/admin/reset", null, "Authorization", AUTH));
        assertEquals(false, reset.path("deterministic").asBoolean(), reset.toString());
    }

    @Test
    void sleepIsOffWithoutDevMode() {
        ErrorEnvelope.assertError(http.post("/sleep", ""), 404);
    }

    private static String text(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("choices").path(0).path("text").asText();
    }

    @Test
    void theKeyIsRequired() {
        ErrorEnvelope.assertError(http.request("GET", "/admin/config", null), 401);
        ErrorEnvelope.assertError(http.request("GET", "/admin/config", null, "Authorization", "Bearer nope"), 401);
    }

    private static JsonNode config(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
