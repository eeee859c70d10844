package io.inventiv.worker.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.LongSupplier;

/**
 * The process's {@code process_*} meters (as vLLM's Python client shows them) and the JVM's
 * heap meters, served from a copy; vLLM's own meters stay live.
 *
 * <p>Why: these cost more than all the rest of the exposition ({@code /proc} reads and
 * reflection that, read once a second, never get compiled), and on cores busy with llama.cpp that
 * time also waits for a core (docs/DECISIONS.md, "Metrics read off the scrape path").
 *
 * <p>So a scrape serves the copy, and MetricsService's refresh thread reads the meters again a
 * little <em>after</em> each scrape ({@link #refreshIfOlderThan}), off the scrape's path.
 * A scrape reads them itself only when the copy is older than {@link #STALE_NANOS}: the first
 * scrape, or scrapes further apart than that, whose values must not be one interval old.
 */
final class ProcessMeters implements MultiCollector {
    /** The copy is read again after a scrape once it is this old. */
    static final long MAX_AGE_NANOS = 1_000_000_000L;
    /** Older than this, a scrape reads the meters itself rather than serve the copy. */
    static final long STALE_NANOS = 2_500_000_000L;

    private final PrometheusRegistry source;
    private final LongSupplier clock;
    private MetricSnapshots last;
    private long lastAt;

    private ProcessMeters(PrometheusRegistry source, LongSupplier clock) {
        this.source = source;
        this.clock = clock;
    }

    /** The process and JVM memory meters, cached. */
    static ProcessMeters create() {
        PrometheusRegistry source = new PrometheusRegistry();
        ProcessMetrics.builder().register(source);
        JvmMemoryMetrics.builder().register(source);
        return new ProcessMeters(source, System::nanoTime);
    }

    /** Any registry's meters behind the same cache, with a test's clock. */
    static ProcessMeters caching(PrometheusRegistry source, LongSupplier clock) {
        return new ProcessMeters(source, clock);
    }

    @Override
    public synchronized MetricSnapshots collect() {
        refreshIfOlderThan(STALE_NANOS);
        return last;
    }

    /** Reads the meters again if there is no copy yet or it is at least {@code maxAgeNanos} old. */
    synchronized void refreshIfOlderThan(long maxAgeNanos) {
        long now = clock.getAsLong();
        if (last == null || now - lastAt >= maxAgeNanos) {
            last = source.scrape();
            lastAt = now;
        }
    }
}
