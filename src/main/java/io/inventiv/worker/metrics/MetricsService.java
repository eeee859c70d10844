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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /metrics} in the Prometheus text format 0.0.4: no timestamps, no created series.
 *
 * <p>The text is rendered on one platform thread, not on the request's virtual thread. The
 * library writes through a new {@code BufferedWriter} per scrape, and on a virtual thread the
 * JDK starts that writer with a small buffer that it grows as writes need it: JFR puts the time
 * in {@code BufferedWriter.write} and {@code Arrays.copyOf}. That is 1.6 ms per scrape on a
 * virtual thread against 0.1 ms on a platform thread (same JVM, same snapshot, JDK 25). On a
 * small machine every millisecond of scrape is taken from llama.cpp's threads. One thread also
 * means a burst of scrapes can never use more than one core.
 */
public final class MetricsService implements HttpService {
    static final int WARM_UP_RENDERS = 300;
    /** How long after a scrape the process meters are read again, if a second old. */
    static final long REFRESH_DELAY_MILLIS = 300;

    private final VllmMetrics metrics;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false).build();
    private final AtomicBoolean warmUpStarted = new AtomicBoolean();
    private final ScheduledExecutorService renderer = Executors.newSingleThreadScheduledExecutor(runnable -> {
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
        if (!warmUpStarted.getAndSet(true)) {
            Thread.ofPlatform().daemon().name("metrics-warm-up").start(() -> warmUp(metrics, WARM_UP_RENDERS));
        }
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        renderer.execute(() -> {
            try {
                body.complete(render(writer, metrics));
            } catch (RuntimeException e) {
                body.completeExceptionally(e);
            }
        });
        // Later, on the same thread, so that the next scrape finds the process meters read. Not at
        // once: then it competes for a core with this scrape's send (measured: p50 +0.7-1.5 ms).
        renderer.schedule(metrics::refreshProcessMeters, REFRESH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
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
     * Renders the exposition {@code times} times and throws it away, so that the JIT compiles the
     * writer. Cold, a scrape takes 10-25 ms of CPU, and it takes a few hundred scrapes (over an
     * hour at a 15 s interval) to get under 1 ms; on 2 busy cores those slow scrapes are what a
     * monitoring agent sees. About 0.6 s of CPU for 300 renders. Started by the first scrape, on
     * its own thread: a server nobody scrapes never pays it (before ready it slowed the model load
     * by 0.5 s; just after ready it competed with the first requests).
     */
    static void warmUp(VllmMetrics metrics, int times) {
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
