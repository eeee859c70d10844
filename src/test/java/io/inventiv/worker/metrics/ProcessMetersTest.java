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
    // A fresh instance per test (JUnit): a counter that counts reads, behind the cache, on a test clock.
    private final PrometheusRegistry source = new PrometheusRegistry();
    // Without exemplars, as in VllmMetrics: the exemplar sampler would start a scheduler thread.
    private final Counter reads = Counter.builder().name("source_reads").help("test").withoutExemplars()
            .register(source);
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final ProcessMeters meters = ProcessMeters.caching(source, now::get);

    @Test
    void aScrapeServesTheCopyUntilItIsStale() {
        reads.inc();
        assertEquals(1.0, value(meters.collect()), "the first scrape reads the meters");
        reads.inc();
        now.addAndGet(ProcessMeters.STALE_NANOS - 1);
        assertEquals(1.0, value(meters.collect()), "younger than stale: the copy, however old");
        now.addAndGet(1);
        assertEquals(2.0, value(meters.collect()), "stale: the scrape reads them itself");
    }

    @Test
    void theRefreshAfterAScrapeReadsOnlyACopyAtLeastMaxAgeOld() {
        reads.inc();
        meters.collect();

        reads.inc();
        now.addAndGet(ProcessMeters.MAX_AGE_NANOS - 1);
        meters.refreshIfOlderThan(ProcessMeters.MAX_AGE_NANOS);
        assertEquals(1.0, value(meters.collect()), "younger than the maximum age: not read again");
        now.addAndGet(1);
        meters.refreshIfOlderThan(ProcessMeters.MAX_AGE_NANOS);
        assertEquals(2.0, value(meters.collect()), "the next scrape gets what the refresh read");
    }

    @Test
    void refreshProcessMetersReadsTheProcessAgain() {
        VllmMetrics metrics = new VllmMetrics("m", 1024, 1);
        double before = cpuSeconds(metrics.scrape());
        long spinUntil = System.nanoTime() + ProcessMeters.MAX_AGE_NANOS + 200_000_000L;
        while (System.nanoTime() < spinUntil) {
            Thread.onSpinWait(); // CPU time for process_cpu_seconds_total to show
        }
        assertEquals(before, cpuSeconds(metrics.scrape()), "a scrape within the stale limit: the copy");
        metrics.refreshProcessMeters();
        assertTrue(cpuSeconds(metrics.scrape()) > before, "read again after the refresh");
    }

    @Test
    void showsTheProcessMetersVllmShowsThroughTheRegistry() {
        MetricSnapshots snapshots = new VllmMetrics("m", 1024, 1).scrape();
        for (String name : new String[] {"process_cpu_seconds", "process_resident_memory_bytes",
                "process_start_time_seconds", "process_open_fds", "process_max_fds", "process_virtual_memory_bytes"}) {
            assertTrue(snapshots.stream().anyMatch(s -> s.getMetadata().getPrometheusName().equals(name)), name);
        }
    }

    private static double cpuSeconds(MetricSnapshots snapshots) {
        return snapshots.stream().filter(s -> s.getMetadata().getPrometheusName().equals("process_cpu_seconds"))
                .map(s -> ((CounterSnapshot) s).getDataPoints().get(0).getValue()).findFirst().orElseThrow();
    }

    private static double value(MetricSnapshots snapshots) {
        CounterSnapshot counter = (CounterSnapshot) snapshots.get(0);
        return counter.getDataPoints().get(0).getValue();
    }
}
