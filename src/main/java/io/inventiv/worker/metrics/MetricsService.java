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
        Future<byte[]> body = renderer.submit(this::render);
        byte[] text;
        try {
            text = body.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        res.header(HeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
        res.send(text);
    }

    /** The current exposition; the queue gauges are read here, at this instant. */
    byte[] render() {
        ByteArrayOutputStream body = new ByteArrayOutputStream(48 * 1024);
        try {
            writer.write(body, metrics.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toByteArray();
    }
}
