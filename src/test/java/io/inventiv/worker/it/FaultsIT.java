package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.FaultSettings;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** X-Fault: one fault forced on one request, only with the admin key, counted by type. */
@ServerTest
class FaultsIT {
    static final ServerConfig CONFIG = TestModels.withFaults(TestModels.config(TestModels.tinyQwen(), 2, 8), "s3cret",
            new FaultSettings(0, FaultSettings.errors("503"), 0, "broken-alias"));
    private static final String STREAM = "{\"prompt\":\"Once upon a time\",\"max_tokens\":12,\"ignore_eos\":true,"
            + "\"stream\":true}";
    private static final String WHOLE = "{\"prompt\":\"Once upon a time\",\"max_tokens\":12,\"ignore_eos\":true}";

    private final URI uri;
    private final RawHttp http;

    FaultsIT(URI uri) {
        this.uri = uri;
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void aStatusIsAnsweredAsVllmWouldAndCounted() {
        double before = faults("status_429");
        HttpResponse<String> response = http.postWithHeaders("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "X-Fault", "key=s3cret; status=429");
        JsonNode error = ErrorEnvelope.assertError(response, 429);
        assertEquals("RateLimitError", error.get("type").asText());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        assertEquals(before + 1, faults("status_429"));
        ErrorEnvelope.assertError(http.postWithHeaders("/v1/completions", WHOLE, "X-Fault", "key=s3cret; status=503"), 503);
    }

    @Test
    void theNamedKindsAnswerAsVllmWould() {
        String[][] kinds = {{"rate_limit", "429", "RateLimitError", "null"},
            {"invalid_api_key", "401", "AuthenticationError", "null"},
            {"context_length", "400", "BadRequestError", "messages"},
            {"server_error", "503", "ServiceUnavailableError", "null"},
            {"invalid_request", "400", "BadRequestError", "null"},
            {"model_not_found", "404", "NotFoundError", "model"}};
        for (String[] kind : kinds) {
            double before = faults(kind[0]);
            JsonNode error = ErrorEnvelope.assertError(http.postWithHeaders("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "X-Fault",
                    "key=s3cret; status=" + kind[0]), Integer.parseInt(kind[1]));
            assertEquals(kind[2], error.get("type").asText(), kind[0]);
            assertEquals(kind[3], error.get("param").asText(), kind[0]);
            assertEquals(before + 1, faults(kind[0]), kind[0] + " counted by its name");
        }
        ErrorEnvelope.assertError(http.postWithHeaders("/v1/completions", WHOLE, "X-Fault",
                "key=s3cret; status=teapot"), 400);
    }

    @Test
    void embeddingsAndNChoicesTakeStatusFaultsButNotAbortAfter() {
        String input = "{\"input\":\"hi\"}";
        ErrorEnvelope.assertError(http.postWithHeaders("/v1/embeddings", input, "X-Fault",
                "key=s3cret; status=server_error"), 503);
        JsonNode error = ErrorEnvelope.assertError(http.postWithHeaders("/v1/embeddings", input, "X-Fault",
                "key=s3cret; abort-after=2"), 400);
        assertEquals("X-Fault", error.get("param").asText(), error.toString());
        ErrorEnvelope.assertError(http.post("/v1/embeddings", input.replace("{", "{\"model\":\"broken-alias\",")),
                503);
        error = ErrorEnvelope.assertError(http.postWithHeaders("/v1/completions",
                "{\"prompt\":\"hi\",\"max_tokens\":4,\"n\":2}", "X-Fault", "key=s3cret; abort-after=2"), 400);
        assertEquals("X-Fault", error.get("param").asText(), "n > 1 has no single stream to break: " + error);
    }

    @Test
    void requestsNamingTheFaultModelFail() {
        double before = faults("status_503");
        ErrorEnvelope.assertError(http.post("/v1/completions", WHOLE.replace("{", "{\"model\":\"broken-alias\",")), 503);
        assertEquals(200, http.post("/v1/completions", WHOLE).statusCode());
        assertEquals(before + 1, faults("status_503"));
    }

    @Test
    void withoutTheKeyTheHeaderIsIgnoredAndAMalformedOneIsA400() {
        assertEquals(200, http.postWithHeaders("/v1/completions", WHOLE, "X-Fault", "key=wrong; status=429").statusCode());
        assertEquals(200, http.postWithHeaders("/v1/completions", WHOLE, "X-Fault", "status=429").statusCode());
        ErrorEnvelope.assertError(http.postWithHeaders("/v1/completions", WHOLE, "X-Fault", "key=s3cret; status=x"), 400);
        ErrorEnvelope.assertError(http.postWithHeaders("/v1/completions", WHOLE, "X-Fault",
                "key=s3cret; abort-after=2; mode=explode"), 400);
    }

    @Test
    void aStreamBreaksAfterNPiecesWithAnErrorFrameOrADroppedConnection() throws Exception {
        try (SseSocket stream = new SseSocket(uri, "/v1/completions", STREAM,
                "X-Fault: key=s3cret; abort-after=3; mode=error\r\n")) {
            assertEquals(200, stream.status());
            List<String> data = stream.linesUntil("data: [DONE]").stream().filter(l -> l.startsWith("data: ")).toList();
            assertEquals(5, data.size(), "three pieces, an error frame, [DONE]: " + data);
            assertTrue(data.get(3).startsWith("data: {\"error\""), data.toString());
        }
        double before = faults("abort_drop");
        try (SseSocket stream = new SseSocket(uri, "/v1/completions", STREAM,
                "X-Fault: key=s3cret; abort-after=2; mode=drop\r\n")) {
            assertEquals(200, stream.status());
            List<String> lines = stream.linesUntil("data: [DONE]");
            assertFalse(lines.contains("data: [DONE]"), "dropped without [DONE]: " + lines);
            assertEquals(2, lines.stream().filter(l -> l.startsWith("data: {\"id\"")).count(), lines.toString());
        }
        assertEquals(before + 1, faults("abort_drop"));
    }

    @Test
    void aStallAndAHangDelayTheAnswerThatThenCompletes() throws Exception {
        try (SseSocket stream = new SseSocket(uri, "/v1/completions", STREAM,
                "X-Fault: key=s3cret; abort-after=2; mode=stall; seconds=2\r\n")) {
            assertEquals(200, stream.status());
            stream.readUntil("data: {");
            stream.readUntil("data: {");
            long stalledFrom = System.nanoTime();
            stream.readUntil("data: {");
            assertTrue(System.nanoTime() - stalledFrom >= 1_500_000_000L, "no bytes during the stall");
            assertTrue(stream.linesUntil("data: [DONE]").contains("data: [DONE]"), "then the stream completes");
        }
        long start = System.nanoTime();
        HttpResponse<String> hung = http.postWithHeaders("/v1/completions", WHOLE, "X-Fault", "key=s3cret; hang=1");
        assertEquals(200, hung.statusCode(), hung.body());
        assertTrue(System.nanoTime() - start >= 900_000_000L, "the answer waited for the hang");
    }

    private double faults(String type) {
        MetricsScrape scrape = MetricsScrape.parse(http.method("GET", "/metrics"));
        String series = "worker_faults_injected_total{type=\"" + type + "\"}";
        return scrape.has(series) ? scrape.value(series) : 0;
    }
}
