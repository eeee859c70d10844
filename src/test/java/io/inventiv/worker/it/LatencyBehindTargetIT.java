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
import org.junit.jupiter.api.Test;

/**
 * When real inference is slower than the latency targets (here 20 ms per token against 1 ms), the
 * real time stands: a gauge shows the stream as behind while it runs, and clears when it ends.
 */
@ServerTest
class LatencyBehindTargetIT {
    static final ServerConfig CONFIG = TestModels.withLatency(TestModels.config(TestModels.tinyQwen(), 1, 4, 1024,
            false, 20), new LatencySettings(1, 0, 1, 0, 0, 0));
    private static final String GAUGE = "worker_latency_streams_behind_target";

    private final URI uri;
    private final RawHttp http;

    LatencyBehindTargetIT(URI uri) {
        this.uri = uri;
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void aGaugeSaysSoWhileTheStreamIsBehind() throws Exception {
        double countedBefore = scrape().value("worker_latency_behind_target_total");
        try (SseSocket stream = new SseSocket(uri, "/v1/completions",
                "{\"prompt\":\"hi\",\"max_tokens\":30,\"ignore_eos\":true,\"stream\":true}")) {
            assertEquals(200, stream.status());
            for (int i = 0; i < 4; i++) {
                stream.readUntil("data: ");
            }
            assertEquals(1.0, scrape().value(GAUGE), "the running stream is behind its target");
            for (String line = stream.readUntil("data: "); !line.equals("data: [DONE]");
                    line = stream.readUntil("data: ")) {
                assertTrue(line.startsWith("data: {"), line);
            }
        }
        MetricsScrape after = scrape();
        // The handler leaves the stream a moment after its client has read [DONE].
        for (long deadline = System.nanoTime() + 10_000_000_000L; after.value(GAUGE) != 0
                && System.nanoTime() < deadline; after = scrape()) {
            Thread.sleep(10);
        }
        assertEquals(0.0, after.value(GAUGE), "no stream answers now");
        assertTrue(after.value("worker_latency_behind_target_total") - countedBefore >= 20,
                "most pieces came late: " + after.value("worker_latency_behind_target_total"));
    }

    private MetricsScrape scrape() {
        return MetricsScrape.parse(http.method("GET", "/metrics"));
    }
}
