package io.inventiv.worker.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.LongSupplier;

/**
 * The process's {@code process_*} meters (as vLLM's Python client shows them) and the JVM's
 * heap meters, read at most once per {@link #MAX_AGE_NANOS}; vLLM's own meters stay live.
 *
 * <p>Why: read at every scrape, these cost more than all the rest of the exposition. Profiled
 * under a 4-stream load, they were 53% of a scrape's CPU (about 0.45 of 0.9 ms): the library
 * lists {@code /proc/self/fd}, reads {@code /proc/self/status} line by line, and calls
 * {@code OperatingSystemMXBean} getters by reflection, one of which throws every time. On two
 * cores every such millisecond is taken from llama.cpp's threads and adds to the scrape's wait.
 * A second of staleness is invisible at Prometheus's usual 15 s interval, and CPU time only
 * moves in 10 ms ticks anyway.
 */
final class ProcessMeters implements MultiCollector {
    static final long MAX_AGE_NANOS = 1_000_000_000L;

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
        long now = clock.getAsLong();
        if (last == null || now - lastAt >= MAX_AGE_NANOS) {
            last = source.scrape();
            lastAt = now;
        }
        return last;
    }
}
