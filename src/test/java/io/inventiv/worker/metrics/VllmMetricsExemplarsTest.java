package io.inventiv.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Observations record no exemplars and start no helper thread: the library's exemplar sampler
 * would wake its scheduler thread every few tokens, taking a core from llama.cpp.
 */
class VllmMetricsExemplarsTest {
    private static final String SCHEDULER_THREAD = "prometheus-metrics-scheduler";

    @Test
    void tokenObservationsStartNoExemplarScheduler() {
        VllmMetrics metrics = new VllmMetrics("m", 1024, 1);
        for (int token = 0; token < 500; token++) {
            metrics.onNextToken(null, 25_000_000L + token);
            metrics.recordHttp("/v1/completions", "POST", 200);
        }
        List<String> schedulers = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith(SCHEDULER_THREAD)).toList();
        assertEquals(List.of(), schedulers);

        MetricSnapshot itl = metrics.scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("vllm:inter_token_latency_seconds"))
                .findFirst().orElseThrow();
        HistogramSnapshot.HistogramDataPointSnapshot point = ((HistogramSnapshot) itl).getDataPoints().get(0);
        assertEquals(500, point.getCount(), "every observation was counted");
        assertEquals(0, point.getExemplars().size(), "no exemplars");
    }
}
