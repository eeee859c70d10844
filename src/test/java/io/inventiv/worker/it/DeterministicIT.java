package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.GenerationEvent;
import io.inventiv.worker.engine.SamplingRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * DETERMINISTIC=1: the same 20 requests (sampled, no seed) give byte-identical answers and usage
 * alone, all at once on 4 slots, and on a freshly loaded engine.
 */
@ServerTest
class DeterministicIT {
    static final ServerConfig CONFIG = TestModels.deterministic(TestModels.config(TestModels.tinyQwen(), 4, 32));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RawHttp http;

    DeterministicIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        if (TestModels.ENGINE.equals("native")) {
            TestModels.routing(routing, CONFIG);
        }
    }

    @Test
    void theSameRequestsGiveTheSameBytesAloneUnderLoadAndAfterARestart() throws Exception {
        assumeTrue(TestModels.ENGINE.equals("native"), "deterministic mode needs the native engine");
        List<ObjectNode> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(JSON.createObjectNode().put("prompt", "Request " + i + ": " + "tell ".repeat(1 + i % 7))
                    .put("max_tokens", 12 + 4 * (i % 5)).put("temperature", 1.0));
        }
        List<String> alone = new ArrayList<>();
        for (ObjectNode request : requests) {
            alone.add(answer(request));
        }
        assertTrue(new HashSet<>(alone).size() > 15, "the requests differ, so their answers do: " + alone);
        List<String> together = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (ObjectNode request : requests) {
                answers.add(pool.submit(() -> answer(request)));
            }
            for (Future<String> answer : answers) {
                together.add(answer.get());
            }
        }
        assertEquals(alone, together, "under load on 4 slots");
        Engine fresh = TestModels.engine(TestModels.deterministic(TestModels.config(TestModels.tinyQwen(), 4, 33)));
        for (int i = 0; i < requests.size(); i++) {
            String text = generate(fresh, requests.get(i));
            assertEquals(JSON.readTree(alone.get(i)).path("choices").path(0).path("text").asText(), text,
                    "request " + i + " on a freshly loaded engine");
        }
    }

    /** The answer without what differs per response (id, creation time). */
    private String answer(ObjectNode request) throws Exception {
        var response = http.post("/v1/completions", request.toString());
        assertEquals(200, response.statusCode(), response.body());
        ObjectNode body = (ObjectNode) JSON.readTree(response.body());
        body.remove(List.of("id", "created"));
        return body.toString();
    }

    private static String generate(Engine engine, ObjectNode request) throws InterruptedException {
        SamplingRequest sampling = new SamplingRequest(request.get("max_tokens").asInt(), 1.0, null, null, null, null,
                null, null, null, false, List.of());
        Generation generation = engine.submit("fresh", engine.prepareText(request.get("prompt").asText()), sampling);
        StringBuilder text = new StringBuilder();
        for (GenerationEvent event = generation.next(); !(event instanceof GenerationEvent.Finished);
                event = generation.next()) {
            if (event instanceof GenerationEvent.Delta delta) {
                text.append(delta.text());
            }
            if (event instanceof GenerationEvent.Failed failed) {
                throw new AssertionError(failed.message());
            }
        }
        return text.toString();
    }
}
