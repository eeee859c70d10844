package io.inventiv.worker.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /metrics} in the Prometheus text format 0.0.4: no timestamps, no created series.
 *
 * <p>The text is rendered on the request's own thread by {@link ExpositionText}, which writes the
 * library's bytes with no hand-off to another thread, each of which would wait for a core that
 * llama.cpp keeps busy (docs/DECISIONS.md, "Our own exposition writer").
 */
public final class MetricsService implements HttpService {
    static final int WARM_UP_RENDERS = 2000;
    /** How long after a scrape the process meters are read again, if a second old. */
    static final long REFRESH_DELAY_MILLIS = 300;

    private final VllmMetrics metrics;
    private final AtomicBoolean warmUpStarted = new AtomicBoolean();
    /** One delayed refresh at a time: scrapes closer together than the delay share it. */
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metrics-refresh");
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

    private void scrape(ServerRequest req, ServerResponse res) {
        if (!warmUpStarted.getAndSet(true)) {
            Thread.ofPlatform().daemon().name("metrics-warm-up").start(() -> warmUp(metrics, WARM_UP_RENDERS));
        }
        byte[] text = render(metrics);
        // Later, off the request, so that the next scrape finds the process meters read; not at once,
        // where it competes for a core with this scrape's send
        // (docs/DECISIONS.md, "Metrics read off the scrape path").
        if (refreshPending.compareAndSet(false, true)) {
            refresher.schedule(() -> {
                refreshPending.set(false);
                metrics.refreshProcessMeters();
            }, REFRESH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        res.header(HeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
        res.send(text);
    }

    /**
     * Renders the exposition {@code times} times and throws it away, so that the JIT compiles the
     * renderer and the snapshot code fully, which scrapes at a monitoring agent's pace would take
     * hours to do. Started by the first scrape, on its own thread, so that a server nobody scrapes
     * never pays it (docs/DECISIONS.md, "Metrics warm-up on the first scrape").
     */
    static void warmUp(VllmMetrics metrics, int times) {
        for (int i = 0; i < times; i++) {
            render(metrics);
        }
    }

    /** The current exposition; the queue gauges are read here, at this instant. */
    static byte[] render(VllmMetrics metrics) {
        MetricSnapshots snapshots = metrics.scrape();
        byte[] text = ExpositionText.render(snapshots);
        return text != null ? text : libraryRender(snapshots);
    }

    /** The library's writer, for any meter kind {@link ExpositionText} does not write. */
    private static byte[] libraryRender(MetricSnapshots snapshots) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(48 * 1024);
        try {
            PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build().write(body, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toByteArray();
    }
}
