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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * /metrics under load: the queue gauges equal what was sent at the moment of the scrape, the
 * counters and histogram counts equal what completed, and the gauges return to 0. Generations
 * are slowed by fault injection (20 ms a token) so the load can be watched.
 */
@ServerTest
class MetricsIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8, 1024, false, 20);
    private static final String LABELS = "{engine=\"0\",model_name=\"" + TestModels.MODEL_NAME + "\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RawHttp http;

    MetricsIT(URI uri) {
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    private MetricsScrape scrape() {
        return MetricsScrape.parse(http.method("GET", "/metrics"));
    }

    @Test
    void gaugesCountersAndHistogramsAgreeWithTheLoad() throws Exception {
        MetricsScrape before = scrape();
        int requests = 5;
        int maxTokens = 40;
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String body = "{\"prompt\":\"request number " + i + "\",\"max_tokens\":" + maxTokens + ",\"ignore_eos\":true,\"temperature\":0}";
            responses.add(CompletableFuture.supplyAsync(() -> http.post("/v1/completions", body)));
        }
        // Two slots: two run and three wait, for about a second (40 tokens at 20 ms).
        MetricsScrape during = awaitScrape(s -> s.agentValue("vllm:num_requests_running") == 2
                && s.agentValue("vllm:num_requests_waiting") == requests - 2);
        assertTrue(during.agentValue("vllm:kv_cache_usage_perc") > 0, "running requests hold KV cache");

        long promptTokens = 0;
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> done = response.get();
            assertEquals(200, done.statusCode(), done.body());
            JsonNode usage = JSON.readTree(done.body()).get("usage");
            assertEquals(maxTokens, usage.get("completion_tokens").asInt());
            promptTokens += usage.get("prompt_tokens").asLong();
        }
        MetricsScrape after = awaitScrape(s -> s.agentValue("vllm:num_requests_running") == 0
                && s.agentValue("vllm:num_requests_waiting") == 0);
        assertEquals(0, after.agentValue("vllm:kv_cache_usage_perc"));

        String lengthSeries = "vllm:request_success_total{engine=\"0\",finished_reason=\"length\",model_name=\""
                + TestModels.MODEL_NAME + "\"}";
        assertEquals(requests, delta(before, after, lengthSeries));
        assertEquals(requests * maxTokens, delta(before, after, "vllm:generation_tokens_total" + LABELS));
        assertEquals(promptTokens, delta(before, after, "vllm:prompt_tokens_total" + LABELS));
        for (String histogram : List.of("vllm:e2e_request_latency_seconds", "vllm:time_to_first_token_seconds",
                "vllm:request_queue_time_seconds", "vllm:request_prefill_time_seconds",
                "vllm:request_generation_tokens", "vllm:request_params_max_tokens")) {
            assertEquals(requests, delta(before, after, histogram + "_count" + LABELS), histogram);
        }
        assertEquals(requests * (maxTokens - 1),
                delta(before, after, "vllm:inter_token_latency_seconds_count" + LABELS));
        assertEquals(requests * maxTokens, delta(before, after, "vllm:request_generation_tokens_sum" + LABELS));
    }

    @Test
    void everyVllmMetricIsExposedWithItsTypeAndBuckets() {
        MetricsScrape metrics = scrape();
        String text = metrics.text();
        for (String gauge : List.of("vllm:num_requests_running", "vllm:num_requests_waiting",
                "vllm:kv_cache_usage_perc", "vllm:cache_config_info")) {
            assertTrue(text.contains("# TYPE " + gauge + " gauge"), gauge);
        }
        http.method("GET", "/v1/models"); // so that http_requests_total has a sample
        metrics = scrape();
        text = metrics.text();
        for (String counter : List.of("vllm:prompt_tokens", "vllm:generation_tokens", "vllm:num_preemptions",
                "vllm:request_success", "http_requests")) {
            // As in vLLM's exposition, the TYPE line names counters with their _total suffix.
            assertTrue(text.contains("# TYPE " + counter + "_total counter"), counter);
        }
        assertTrue(metrics.has("vllm:num_preemptions_total" + LABELS));
        assertBuckets(metrics, "vllm:time_to_first_token_seconds", "0.001", "0.005", "0.01", "0.02", "0.04", "0.06",
                "0.08", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "20.0", "40.0", "80.0",
                "160.0", "640.0", "2560.0", "+Inf");
        for (String name : List.of("vllm:inter_token_latency_seconds", "vllm:request_time_per_output_token_seconds")) {
            assertBuckets(metrics, name, "0.01", "0.025", "0.05", "0.075", "0.1", "0.15", "0.2", "0.3", "0.4", "0.5",
                    "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "20.0", "40.0", "80.0", "+Inf");
        }
        for (String name : List.of("vllm:e2e_request_latency_seconds", "vllm:request_queue_time_seconds",
                "vllm:request_inference_time_seconds", "vllm:request_prefill_time_seconds",
                "vllm:request_decode_time_seconds")) {
            assertBuckets(metrics, name, "0.3", "0.5", "0.8", "1.0", "1.5", "2.0", "2.5", "5.0", "10.0", "15.0",
                    "20.0", "30.0", "40.0", "50.0", "60.0", "120.0", "240.0", "480.0", "960.0", "1920.0", "7680.0",
                    "+Inf");
        }
        for (String name : List.of("vllm:request_prompt_tokens", "vllm:request_generation_tokens",
                "vllm:request_params_max_tokens")) {
            // 1-2-5 up to N_CTX = 1024
            assertBuckets(metrics, name, "1.0", "2.0", "5.0", "10.0", "20.0", "50.0", "100.0", "200.0", "500.0",
                    "1000.0", "+Inf");
        }
        for (String process : List.of("process_resident_memory_bytes", "process_cpu_seconds_total",
                "process_start_time_seconds")) {
            assertTrue(text.contains("\n" + process + " "), process);
        }
        assertTrue(metrics.value("http_requests_total{handler=\"/v1/models\",method=\"GET\",status=\"200\"}") >= 1);
        for (String reason : List.of("stop", "length", "abort")) {
            assertTrue(metrics.has("vllm:request_success_total{engine=\"0\",finished_reason=\"" + reason
                    + "\",model_name=\"" + TestModels.MODEL_NAME + "\"}"), reason);
        }
    }

    private static void assertBuckets(MetricsScrape metrics, String name, String... bounds) {
        for (String bound : bounds) {
            String series = name + "_bucket{engine=\"0\",le=\"" + bound + "\",model_name=\"" + TestModels.MODEL_NAME
                    + "\"}";
            assertTrue(metrics.has(series), series);
        }
        long count = metrics.text().lines().filter(line -> line.startsWith(name + "_bucket{")).count();
        assertTrue(metrics.text().contains(name + "_count{"), name + "_count");
        assertTrue(metrics.text().contains(name + "_sum{"), name + "_sum");
        assertEquals(bounds.length, count, "bucket count of " + name);
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String series) {
        return after.value(series) - (before.has(series) ? before.value(series) : 0);
    }

    private MetricsScrape awaitScrape(java.util.function.Predicate<MetricsScrape> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        MetricsScrape last = scrape();
        while (!condition.test(last)) {
            assertTrue(System.nanoTime() < deadline, "metrics never reached the expected state:\n" + last.text());
            Thread.sleep(5);
            last = scrape();
        }
        return last;
    }
}
