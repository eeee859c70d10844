package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * vLLM's dev-mode sleep: a sleep lets the running stream finish, then the model routes and
 * readiness answer 503 and /metrics shows the level until a wake loads the model again. The
 * binding engine cannot free its model and says so. Requests racing sleep and wake get an answer
 * or a 503, never a crash.
 */
@ServerTest
class SleepIT {
    /** Its own engine (three slots, a token delay): a sleep frees it. */
    static final ServerConfig CONFIG = TestModels.withDevMode(TestModels.config(TestModels.tinyQwen(), 3, 4, 1024,
            false, 20));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHOLE = "{\"prompt\":\"hi\",\"max_tokens\":3}";
    private static final String SLEEP_STATE = "vllm:engine_sleep_state{engine=\"0\",model_name=\"test-model\","
            + "sleep_state=\"%s\"}";

    private final RawHttp http;

    SleepIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void sleepWaitsForTheStreamThenFreesTheModelUntilWake() throws Exception {
        if (!TestModels.ENGINE.equals("native")) {
            JsonNode error = ErrorEnvelope.assertError(http.post("/sleep", ""), 400);
            assertTrue(error.get("message").asText().contains("ENGINE=native"), error.toString());
            assertEquals(false, isSleeping());
            return;
        }
        CompletableFuture<HttpResponse<String>> stream = CompletableFuture.supplyAsync(() -> http.post(
                "/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":40,\"ignore_eos\":true,\"stream\":true}"));
        awaitRunning();
        assertEquals(200, http.post("/sleep?level=1", "").statusCode());
        assertTrue(stream.isDone(), "the sleep returned after the stream it let finish");
        String frames = stream.get().body();
        assertTrue(frames.contains("\"finish_reason\":\"length\"") && frames.endsWith("data: [DONE]\n\n"), frames);

        assertEquals(true, isSleeping());
        ErrorEnvelope.assertError(http.method("GET", "/health"), 503);
        HttpResponse<String> refused = http.post("/v1/completions", WHOLE);
        ErrorEnvelope.assertError(refused, 503);
        assertTrue(refused.headers().firstValue("retry-after").isPresent(), refused.headers().toString());
        ErrorEnvelope.assertError(http.post("/tokenize", "{\"prompt\":\"hi\"}"), 503);
        assertEquals(200, http.method("GET", "/v1/models").statusCode(), "the models list needs no weights");
        MetricsScrape asleep = MetricsScrape.parse(http.method("GET", "/metrics"));
        assertEquals(0.0, asleep.value(SLEEP_STATE.formatted("awake")));
        assertEquals(1.0, asleep.value(SLEEP_STATE.formatted("weights_offloaded")));
        assertEquals(200, http.post("/sleep?level=2", "").statusCode(), "asleep already: nothing to do");

        assertEquals(200, http.post("/wake_up", "").statusCode());
        assertEquals(false, isSleeping());
        assertEquals(200, http.method("GET", "/health").statusCode());
        assertEquals(200, http.post("/v1/completions", WHOLE).statusCode());
        assertEquals(1.0, MetricsScrape.parse(http.method("GET", "/metrics")).value(SLEEP_STATE.formatted("awake")));

        assertEquals(200, http.post("/sleep?level=2", "").statusCode());
        assertEquals(1.0, MetricsScrape.parse(http.method("GET", "/metrics"))
                .value(SLEEP_STATE.formatted("discard_all")));
        assertEquals(200, http.post("/wake_up", "").statusCode());
        assertEquals(200, http.post("/v1/completions", WHOLE).statusCode());
    }

    @Test
    void requestsRacingSleepAndWakeGetAnAnswerOrA503() throws Exception {
        if (!TestModels.ENGINE.equals("native")) {
            return; // the binding cannot sleep (the other test checks its 400)
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                String path = i % 2 == 0 ? "/v1/completions" : "/tokenize";
                String body = i % 2 == 0 ? WHOLE : "{\"prompt\":\"hello there\"}";
                clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> response = http.post(path, body);
                        statuses.add(response.statusCode());
                        if (response.statusCode() != 200 && response.statusCode() != 503) {
                            unexpected.add(path + " " + response.statusCode() + " " + response.body());
                        }
                    }
                });
            }
            for (int cycle = 0; cycle < 3; cycle++) {
                int status = http.post("/sleep", "").statusCode();
                assertTrue(status == 200 || status == 503, "a sleep either happens or gives up: " + status);
                assertEquals(200, http.post("/wake_up", "").statusCode());
            }
            running.set(false);
        }
        assertTrue(unexpected.isEmpty(), unexpected.toString());
        assertTrue(statuses.contains(200) && statuses.contains(503), "both seen: " + statuses);
        assertEquals(200, http.post("/v1/completions", WHOLE).statusCode(), "serving after the cycles");
    }

    @Test
    void aBadLevelIsA400() {
        JsonNode error = ErrorEnvelope.assertError(http.post("/sleep?level=3", ""), 400);
        assertEquals("level", error.get("param").asText(), error.toString());
        ErrorEnvelope.assertError(http.method("GET", "/sleep"), 405);
    }

    private boolean isSleeping() throws Exception {
        HttpResponse<String> response = http.method("GET", "/is_sleeping");
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("is_sleeping").asBoolean();
    }

    /** Until the stream holds a slot, read from /status as the status page reads it. */
    private void awaitRunning() throws Exception {
        for (int i = 0; i < 500; i++) {
            JsonNode status = JSON.readTree(http.method("GET", "/status").body());
            if (status.path("queue").path("running").asInt() > 0) {
                assertTrue(status.toString().contains("\"state\":\"decode\"")
                        || status.toString().contains("\"state\":\"prefill\""), status.toString());
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the stream never started");
    }
}
