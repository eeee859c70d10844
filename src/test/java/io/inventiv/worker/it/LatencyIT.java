package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.LatencySettings;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Latency shaping on the fixture, whose real inference is much faster than the targets: what a
 * client sees (time to the first content chunk, gaps between chunks) has medians within 10% of
 * the targets, and vLLM's latency histograms report those times, not the engine's.
 */
@ServerTest
class LatencyIT {
    static final ServerConfig CONFIG = TestModels.withLatency(TestModels.config(TestModels.tinyQwen(), 1, 4),
            new LatencySettings(300, 0, 40, 0, 0, 0));
    private static final String STREAM = "{\"prompt\":\"Once upon a time\",\"max_tokens\":24,\"ignore_eos\":true,"
            + "\"stream\":true}";

    private final URI uri;

    LatencyIT(URI uri) {
        this.uri = uri;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void observedMediansMeetTheTargets() throws Exception {
        MetricsScrape before = MetricsScrape.parse(new RawHttp(uri).method("GET", "/metrics"));
        List<Double> firsts = new ArrayList<>();
        List<Double> gaps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long sent = System.nanoTime();
            try (SseSocket stream = new SseSocket(uri, "/v1/completions", STREAM)) {
                assertEquals(200, stream.status());
                long previous = 0;
                for (String line = stream.readUntil("data: "); !line.equals("data: [DONE]");
                        line = stream.readUntil("data: ")) {
                    if (!line.contains("\"text\":\"\"") && line.contains("\"finish_reason\":null")) {
                        long now = System.nanoTime();
                        if (previous == 0) {
                            firsts.add((now - sent) / 1e6);
                        } else {
                            gaps.add((now - previous) / 1e6);
                        }
                        previous = now;
                    }
                }
            }
        }
        assertWithin(300, median(firsts), "time to first content");
        assertWithin(40, median(gaps), "gap between content chunks");
        MetricsScrape after = MetricsScrape.parse(new RawHttp(uri).method("GET", "/metrics"));
        assertWithin(300, 1000 * meanOf(before, after, "vllm:time_to_first_token_seconds"),
                "vllm:time_to_first_token_seconds, as the client saw it");
        assertWithin(40, 1000 * meanOf(before, after, "vllm:inter_token_latency_seconds"),
                "vllm:inter_token_latency_seconds, as the client saw it");
    }

    /** The mean of a histogram's observations between two scrapes. */
    private static double meanOf(MetricsScrape before, MetricsScrape after, String histogram) {
        String labels = "{engine=\"0\",model_name=\"test-model\"}";
        double count = after.value(histogram + "_count" + labels) - before.value(histogram + "_count" + labels);
        assertTrue(count > 0, histogram + " observed the streams");
        return (after.value(histogram + "_sum" + labels) - before.value(histogram + "_sum" + labels)) / count;
    }

    private static void assertWithin(double target, double observed, String what) {
        assertTrue(Math.abs(observed - target) <= 0.1 * target, what + ": " + observed + " ms for a target of "
                + target + " ms");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        assertTrue(!sorted.isEmpty(), "measured something");
        return sorted.get(sorted.size() / 2);
    }
}
