package io.inventiv.worker.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The test controls' metrics, in their own families outside {@code vllm:} (vLLM has none, and a
 * scraper that knows vLLM must not meet a series it does not expect).
 */
public final class ControlMeters {
    private final Counter faultsInjected;
    private final Counter behindLatencyTarget;
    /** One per set of routes (tests build several over one engine); the gauge is their sum. */
    private final List<IntSupplier> streamsBehindTarget = new CopyOnWriteArrayList<>();

    ControlMeters(PrometheusRegistry registry) {
        faultsInjected = Counter.builder().name("worker_faults_injected")
                .help("Faults injected into requests by their X-Fault header, by type.")
                .labelNames("type").withoutExemplars().register(registry);
        behindLatencyTarget = Counter.builder().name("worker_latency_behind_target")
                .help("Pieces of content that real inference delivered later than their latency-shaping target.")
                .withoutExemplars().register(registry);
        GaugeWithCallback.builder().name("worker_latency_streams_behind_target")
                .help("Shaped responses answering now whose last piece came later than its latency target: real "
                        + "inference is slower than the target, and the real time stands.")
                .callback(callback -> callback.call(streamsBehindTarget.stream().mapToInt(IntSupplier::getAsInt).sum()))
                .register(registry);
    }

    /** A fault injected into a request, by type. */
    public void recordFault(String type) {
        faultsInjected.labelValues(type).inc();
    }

    /** A piece of content that real inference made later than its latency-shaping target. */
    public void recordBehindLatencyTarget() {
        behindLatencyTarget.inc();
    }

    /** Where the behind-target gauge reads its value: the test controls, once routing has made them. */
    public void watchStreamsBehindTarget(IntSupplier source) {
        streamsBehindTarget.add(source);
    }
}
