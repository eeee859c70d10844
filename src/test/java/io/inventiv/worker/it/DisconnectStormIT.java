package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many clients connect and vanish at random moments: while queued, while their prompt is
 * evaluated, mid-stream. Afterwards every slot is free, the queue gauges are back to 0, the
 * abort counter grew by exactly the number of admitted clients that left, and a new request is
 * served at once. Tokens are slowed (10 ms) so that no dropped request can finish by itself.
 */
@ServerTest
class DisconnectStormIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 64, 2048, false, 10);
    private static final String ABORTS = "vllm:request_success_total{engine=\"0\",finished_reason=\"abort\",model_name=\""
            + TestModels.MODEL_NAME + "\"}";
    private static final int CLIENTS = 48;

    private final URI uri;
    private final RawHttp http;

    DisconnectStormIT(URI uri) {
        this.uri = uri;
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void everyDroppedClientIsAbortedAndNoSlotLeaks() throws Exception {
        double abortsBefore = MetricsScrape.parse(http.method("GET", "/metrics")).value(ABORTS);
        SplittableRandom random = new SplittableRandom(7);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            long dropAfterMillis = random.nextInt(400);
            int framesBeforeDrop = random.nextInt(4);
            boolean chat = random.nextBoolean();
            running.add(clients.submit(() -> {
                String path = chat ? "/v1/chat/completions" : "/v1/completions";
                String body = (chat ? "{\"messages\":[{\"role\":\"user\",\"content\":\"storm\"}]" : "{\"prompt\":\"storm\"")
                        + ",\"max_tokens\":1500,\"ignore_eos\":true,\"stream\":true}";
                try (SseSocket client = new SseSocket(uri, path, body)) {
                    assertEquals(200, client.status(), "admitted");
                    for (int frame = 0; frame < framesBeforeDrop; frame++) {
                        client.readUntil("data: {"); // mid-stream, if it got that far before the drop
                    }
                    Thread.sleep(dropAfterMillis);
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();

        MetricsScrape after = awaitIdle();
        assertEquals(0, after.agentValue("vllm:num_requests_running"));
        assertEquals(0, after.agentValue("vllm:num_requests_waiting"));
        assertEquals(0, after.agentValue("vllm:kv_cache_usage_perc"));
        assertEquals(CLIENTS, after.value(ABORTS) - abortsBefore, "one abort per admitted client that left:\n"
                + after.text().lines().filter(line -> line.startsWith("vllm:request_success")).toList());
        assertEquals(200, http.post("/v1/completions", "{\"prompt\":\"after the storm\",\"max_tokens\":2}").statusCode());
    }

    private MetricsScrape awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            MetricsScrape scrape = MetricsScrape.parse(http.method("GET", "/metrics"));
            if (scrape.agentValue("vllm:num_requests_running") == 0 && scrape.agentValue("vllm:num_requests_waiting") == 0
                    && scrape.value(ABORTS) >= 0) {
                return scrape;
            }
            assertTrue(System.nanoTime() < deadline, "the server never became idle:\n" + scrape.text());
            Thread.sleep(20);
        }
    }
}
