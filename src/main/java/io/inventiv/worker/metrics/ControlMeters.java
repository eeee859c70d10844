package io.inventiv.worker.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;

/**
 * The test controls' metrics, in their own families outside {@code vllm:} (vLLM has none, and a
 * scraper that knows vLLM must not meet a series it does not expect).
 */
public final class ControlMeters {
    private final Counter faultsInjected;
    private final Counter behindLatencyTarget;
    private final Gauge streamsBehindTarget;

    ControlMeters(PrometheusRegistry registry) {
        faultsInjected = Counter.builder().name("worker_faults_injected")
                .help("Faults injected into requests by their X-Fault header, by type.")
                .labelNames("type").withoutExemplars().register(registry);
        behindLatencyTarget = Counter.builder().name("worker_latency_behind_target")
                .help("Pieces of content that real inference delivered later than their latency-shaping target.")
                .withoutExemplars().register(registry);
        streamsBehindTarget = Gauge.builder().name("worker_latency_streams_behind_target")
                .help("Shaped responses answering now whose last piece came later than its latency target: real "
                        + "inference is slower than the target, and the real time stands.")
                .withoutExemplars().register(registry);
    }

    CounterSnapshot faultsCollected() {
        return faultsInjected.collect();
    }

    /** A fault injected into a request, by type. */
    public void recordFault(String type) {
        faultsInjected.labelValues(type).inc();
    }

    /** A piece of content that real inference made later than its latency-shaping target. */
    public void recordBehindLatencyTarget() {
        behindLatencyTarget.inc();
    }

    /** A shaped response fell behind its schedule (+1) or caught up or ended (-1). */
    public void behindTargetChanged(int change) {
        streamsBehindTarget.inc(change);
    }
}
