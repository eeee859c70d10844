package io.inventiv.worker.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code GET /metrics} in the Prometheus text format 0.0.4: no timestamps, no created series.
 *
 * <p>The text is rendered on one platform thread, not on the request's virtual thread. The
 * library writes character by character through a {@code BufferedWriter}, and that costs about
 * 1.6 ms per scrape on a virtual thread against 0.1 ms on a platform thread (measured, JDK 25).
 * On a small machine every millisecond of scrape is taken from llama.cpp's threads. One thread
 * also means a burst of scrapes can never use more than one core.
 */
public final class MetricsService implements HttpService {
    private final VllmMetrics metrics;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false).build();
    private final ExecutorService renderer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metrics-render");
        thread.setDaemon(true);
        return thread;
    });

    public MetricsService(VllmMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) throws InterruptedException {
        Future<byte[]> body = renderer.submit(() -> render(writer, metrics));
        byte[] text;
        try {
            text = body.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        res.header(HeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
        res.send(text);
    }

    /**
     * Renders the exposition {@code times} times and throws it away, so that the JIT has compiled
     * the writer before the first real scrape. Cold, a scrape takes 10-25 ms of CPU, and it takes
     * a few hundred scrapes (an hour of a 15 s scrape interval) to get under 1 ms: on 2 busy cores
     * those first scrapes are what a monitoring agent sees. Costs about 0.6 s of CPU for 300
     * renders, once, just after the server becomes ready.
     */
    public static void warmUp(VllmMetrics metrics, int times) {
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
                .setIncludeCreatedTimestamps(false).build();
        for (int i = 0; i < times; i++) {
            render(writer, metrics);
        }
    }

    /** The current exposition; the queue gauges are read here, at this instant. */
    private static byte[] render(PrometheusTextFormatWriter writer, VllmMetrics metrics) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(48 * 1024);
        try {
            writer.write(body, metrics.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toByteArray();
    }
}
