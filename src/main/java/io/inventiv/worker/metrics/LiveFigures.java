package io.inventiv.worker.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few running totals the status page turns into rates (tokens per second, mean TTFT and
 * inter-token latency over its last poll), read from the same series /metrics shows.
 */
public final class LiveFigures {
    private LiveFigures() {
    }

    /** {@code tokens}, {@code latency_observed} and {@code faults_injected}, as /status writes them. */
    public static Map<String, Object> of(VllmMetrics metrics) {
        MetricSnapshots snapshots = metrics.liveTotals();
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("prompt_total", counter(snapshots, "vllm:prompt_tokens"));
        tokens.put("generation_total", counter(snapshots, "vllm:generation_tokens"));
        Map<String, Object> latency = new LinkedHashMap<>();
        HistogramSnapshot.HistogramDataPointSnapshot ttft = histogram(snapshots, "vllm:time_to_first_token_seconds");
        HistogramSnapshot.HistogramDataPointSnapshot itl = histogram(snapshots, "vllm:inter_token_latency_seconds");
        latency.put("ttft_seconds_sum", ttft == null ? 0 : ttft.getSum());
        latency.put("ttft_count", ttft == null ? 0 : ttft.getCount());
        latency.put("itl_seconds_sum", itl == null ? 0 : itl.getSum());
        latency.put("itl_count", itl == null ? 0 : itl.getCount());
        Map<String, Object> faults = new LinkedHashMap<>();
        if (find(snapshots, "worker_faults_injected") instanceof CounterSnapshot injected) {
            injected.getDataPoints().forEach(point -> faults.put(point.getLabels().get("type"), (long) point.getValue()));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tokens", tokens);
        figures.put("latency_observed", latency);
        figures.put("faults_injected", faults);
        return figures;
    }

    private static long counter(MetricSnapshots snapshots, String name) {
        return find(snapshots, name) instanceof CounterSnapshot counter
                ? (long) counter.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum()
                : 0;
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogram(MetricSnapshots snapshots, String name) {
        return find(snapshots, name) instanceof HistogramSnapshot histogram && !histogram.getDataPoints().isEmpty()
                ? histogram.getDataPoints().get(0) : null;
    }

    private static MetricSnapshot find(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot.getMetadata().getPrometheusName().equals(name)) {
                return snapshot;
            }
        }
        return null;
    }
}
