package io.inventiv.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProcessMetersTest {
    @Test
    void readsTheSourceAtMostOncePerMaxAge() {
        PrometheusRegistry source = new PrometheusRegistry();
        // Without exemplars, as in VllmMetrics: the exemplar sampler would start a scheduler thread.
        Counter reads = Counter.builder().name("source_reads").help("test").withoutExemplars().register(source);
        AtomicLong now = new AtomicLong(5_000_000_000L);
        ProcessMeters meters = ProcessMeters.caching(source, now::get);

        reads.inc();
        assertEquals(1.0, value(meters.collect()));
        reads.inc();
        now.addAndGet(ProcessMeters.MAX_AGE_NANOS - 1);
        assertEquals(1.0, value(meters.collect()), "younger than the maximum age: the cached values");
        now.addAndGet(1);
        assertEquals(2.0, value(meters.collect()), "as old as the maximum age: read again");
    }

    @Test
    void showsTheProcessMetersVllmShowsThroughTheRegistry() {
        MetricSnapshots snapshots = new VllmMetrics("m", 1024, 1).scrape();
        for (String name : new String[] {"process_cpu_seconds", "process_resident_memory_bytes",
                "process_start_time_seconds", "process_open_fds", "process_max_fds", "process_virtual_memory_bytes"}) {
            assertTrue(snapshots.stream().anyMatch(s -> s.getMetadata().getPrometheusName().equals(name)), name);
        }
    }

    private static double value(MetricSnapshots snapshots) {
        CounterSnapshot counter = (CounterSnapshot) snapshots.get(0);
        return counter.getDataPoints().get(0).getValue();
    }
}
