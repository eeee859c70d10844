package io.inventiv.worker.tools.soak;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.tools.soak.SoakClient.Outcome;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakReportTest {
    private static final String LABELS = "{engine=\"0\",model_name=\"m\"}";

    private static Map<String, Double> metrics(double stop, double length, double abort, double requests,
            double promptSum, double generated) {
        Map<String, Double> m = new HashMap<>();
        m.put("vllm:request_success_total{engine=\"0\",finished_reason=\"stop\",model_name=\"m\"}", stop);
        m.put("vllm:request_success_total{engine=\"0\",finished_reason=\"length\",model_name=\"m\"}", length);
        m.put("vllm:request_success_total{engine=\"0\",finished_reason=\"abort\",model_name=\"m\"}", abort);
        m.put("vllm:e2e_request_latency_seconds_count" + LABELS, requests);
        m.put("vllm:request_prompt_tokens_sum" + LABELS, promptSum);
        m.put("vllm:generation_tokens_total" + LABELS, generated);
        m.put("vllm:request_generation_tokens_sum" + LABELS, generated);
        return m;
    }

    private static SoakTally tally() {
        SoakTally tally = new SoakTally();
        tally.add(new Outcome(200, false, "length", 10, 5, null));
        tally.add(new Outcome(200, false, "stop", 10, 3, null));
        tally.add(new Outcome(200, true, null, 10, 0, null));
        return tally;
    }

    /** Runs of 10 minutes, sampled at 0, 3, 5 and 10 minutes (warm-up ends at 3). */
    private static final long DURATION = 600_000;
    private static final List<long[]> FLAT_RSS = List.of(new long[] {0, 90_000}, new long[] {180_000, 100_000},
            new long[] {300_000, 101_000}, new long[] {600_000, 102_000});

    @Test
    void agreeingCountersAndFlatMemoryPass() {
        SoakReport report = new SoakReport(tally(), metrics(0, 0, 0, 0, 0, 0), metrics(1, 1, 1, 3, 30, 20), FLAT_RSS,
                DURATION, null);
        assertTrue(report.passed(), report.summary(true, Path.of("m.gguf"), "native"));
    }

    @Test
    void aMissingAbortOrATokenMismatchFails() {
        assertFalse(new SoakReport(tally(), metrics(0, 0, 0, 0, 0, 0), metrics(1, 2, 0, 3, 30, 20), FLAT_RSS, DURATION, null)
                .passed());
        assertFalse(new SoakReport(tally(), metrics(0, 0, 0, 0, 0, 0), metrics(1, 1, 1, 3, 31, 20), FLAT_RSS, DURATION, null)
                .passed());
    }

    @Test
    void memoryGrowingAfterWarmUpFails() {
        List<long[]> growing = List.of(new long[] {0, 90_000}, new long[] {180_000, 100_000},
                new long[] {600_000, 110_000});
        assertFalse(new SoakReport(tally(), metrics(0, 0, 0, 0, 0, 0), metrics(1, 1, 1, 3, 30, 20), growing, DURATION, null)
                .passed());
    }

    @Test
    void aDriftFailureSaysWhichKindOfMemoryGrewAndTheReportListsThem() {
        List<long[]> growing = List.of(new long[] {0, 90_000}, new long[] {180_000, 100_000},
                new long[] {600_000, 110_000});
        MemoryTrace.Change change = new MemoryTrace.Change(
                new MemoryTrace.Point(180_000, new MemoryBreakdown(java.util.Map.of("rss", 100_000L,
                        "rss.anonymous", 60_000L, "rss.model", 30_000L, "malloc.in-use", 20_000L, "malloc.arenas", 4L,
                        "jvm.thread", 2_000L))),
                new MemoryTrace.Point(600_000, new MemoryBreakdown(java.util.Map.of("rss", 110_000L,
                        "rss.anonymous", 69_000L, "rss.model", 30_000L, "malloc.in-use", 28_000L, "malloc.arenas", 6L,
                        "jvm.thread", 3_024L))));
        SoakReport report = new SoakReport(tally(), metrics(0, 0, 0, 0, 0, 0), metrics(1, 1, 1, 3, 30, 20), growing,
                DURATION, change);
        assertFalse(report.passed());
        String summary = report.summary(true, Path.of("m.gguf"), "native");
        assertTrue(summary.contains("grew most: rss.anonymous +8.8 MB, malloc.in-use +7.8 MB, jvm.thread +1.0 MB"),
                summary);
        assertTrue(summary.contains("| malloc.arenas | 4 | 6 | +2 |"), summary);
        assertTrue(summary.contains("| rss.model | 29.3 MB | 29.3 MB | +0.0 MB |"), summary);
    }

    @Test
    void oneHighSampleAtTheEndIsNotADrift() {
        List<long[]> jittery = new java.util.ArrayList<>();
        long[] cycle = {97_000, 100_000, 103_000}; // ±3% around 100 MB
        for (long at = 180_000; at < 600_000; at += 5_000) {
            jittery.add(new long[] {at, cycle[jittery.size() % 3]});
        }
        jittery.add(new long[] {600_000, 110_000}); // +10% over the first sample, alone
        assertTrue(new SoakReport(tally(), metrics(0, 0, 0, 0, 0, 0), metrics(1, 1, 1, 3, 30, 20), jittery, DURATION, null)
                .passed());
    }

    @Test
    void growthDuringTheWarmUpDoesNotCount() {
        List<long[]> warming = List.of(new long[] {0, 50_000}, new long[] {150_000, 90_000},
                new long[] {180_000, 100_000}, new long[] {600_000, 102_000});
        assertTrue(new SoakReport(tally(), metrics(0, 0, 0, 0, 0, 0), metrics(1, 1, 1, 3, 30, 20), warming, DURATION, null)
                .passed());
    }

    @Test
    void clientErrorsFail() {
        SoakTally tally = tally();
        tally.add(new Outcome(500, false, null, 0, 0, null));
        assertFalse(new SoakReport(tally, metrics(0, 0, 0, 0, 0, 0), metrics(1, 1, 1, 3, 30, 20), FLAT_RSS, DURATION, null)
                .passed());
    }
}
