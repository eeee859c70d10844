package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTableTest {
    private static final BenchTable.Scenario ONE = new BenchTable.Scenario(1, 96);

    /** A report whose requests all decode at {@code tokPerS} after a TTFT of {@code ttftMs}. */
    static BenchReport report(String label, int streams, double ttftMs, double tokPerS, double wallSeconds,
            BenchReport.ProcessFacts process, List<ProbeStats> probes) {
        return report(label, streams, 96, ttftMs, tokPerS, wallSeconds, process, probes);
    }

    static BenchReport report(String label, int streams, int promptTokens, double ttftMs, double tokPerS,
            double wallSeconds, BenchReport.ProcessFacts process, List<ProbeStats> probes) {
        long ms = 1_000_000;
        long gap = (long) (1e9 / tokPerS);
        List<StreamResult> results = List.of(new StreamResult(null, null, 0, (long) (ttftMs * ms),
                (long) (ttftMs * ms) + 10 * gap, (long) (ttftMs * ms) + 10 * gap, 11, 11, 96,
                new long[] {gap, gap, gap, gap, gap, gap, gap, gap, gap, gap}));
        LoadPlan plan = new LoadPlan(streams, promptTokens, 11, 0, 11, 1, null, 1);
        return BenchReport.of(label.equals("ours") ? "http" : "binding", label, null, "m", Instant.EPOCH,
                BenchReport.Settings.of(plan, true, BenchSampling.GREEDY, null, null, null),
                List.of(new PhaseResult("repeat 1/1", results, (long) (wallSeconds * 1e9))), probes, process, null);
    }

    static List<ProbeStats> probes(double p99) {
        Distribution d = new Distribution(10, p99 / 2, p99 / 2, p99, p99, 0.1, p99);
        return List.of(new ProbeStats("/metrics", d, Map.of("200", 10)), new ProbeStats("/v1/models", d,
                Map.of("200", 10)));
    }

    @Test
    void ratiosAndTargetsComeFromMediansOfRounds() {
        BenchReport.ProcessFacts raw = new BenchReport.ProcessFacts(600L, null, 500L * 1048576, 20.0);
        BenchReport.ProcessFacts ours = new BenchReport.ProcessFacts(700L, 1900L, 580L * 1048576, 21.0);
        List<BenchReport> reports = List.of(
                report("raw", 1, 500, 50, 10, raw, null),
                report("raw", 1, 520, 40, 10, raw, null),
                report("raw", 1, 510, 45, 10, raw, null),
                report("ours", 1, 516, 49.5, 10, ours, probes(3)),
                report("ours", 1, 520, 44.5, 10, ours, probes(3)),
                report("raw", 4, 900, 10, 10, raw, null),
                report("ours", 4, 950, 9, 10 / 0.9, ours, probes(12)));
        BenchTable.Summary summary = BenchTable.summarize(reports);
        assertEquals(List.of("raw", "ours"), summary.labels());
        assertEquals(45.0, summary.medians().get(ONE).get("decode tok/s per stream (p50)").get("raw"), 1e-6);
        assertEquals(47.0, summary.medians().get(ONE).get("decode tok/s per stream (p50)").get("ours"), 1e-6);
        assertEquals(Map.of("raw", 3, "ours", 2), summary.rounds().get(ONE));

        Map<String, BenchTable.Target> targets = new java.util.HashMap<>();
        summary.targets().forEach(t -> targets.put(t.name(), t));
        assertEquals(Boolean.TRUE, targets.get("decode tok/s, 1 stream ≥ 98% of raw").met());
        BenchTable.Target ttft = targets.get("TTFT overhead over raw ≤ 5 ms (1 stream, 96-token prompts, p50)");
        assertEquals(Boolean.FALSE, ttft.met(), ttft.measured()); // 518 − 510 = +8 ms
        assertTrue(ttft.measured().startsWith("+8.0 ms"), ttft.measured());
        assertTrue(targets.get("aggregate tok/s, 4 streams, 4 slots ≥ 95% of raw").measured().startsWith("90.0%"));
        assertEquals(Boolean.FALSE, targets.get("aggregate tok/s, 4 streams, 4 slots ≥ 95% of raw").met());
        assertEquals(Boolean.FALSE, targets.get("/metrics and /v1/models p99 < 10 ms during the 4-stream load").met());
        assertEquals(Boolean.TRUE, targets.get("ready within 1.5 s plus model load (1-slot server)").met());
        assertEquals(Boolean.TRUE, targets.get("peak RSS ≤ raw + 120 MB (1 slot)").met(), "80 MiB = 84 MB extra");

        String table = BenchTable.markdown(summary);
        assertTrue(table.contains("| metric | raw | ours | ours ÷ raw |"), table);
        assertTrue(table.contains("**1 stream, 1 slot, 96-token prompts**"), table);
        assertTrue(table.contains("| decode tok/s per stream (p50) | 45.0 | 47.0 | 1.044 |"), table);
        assertTrue(table.contains("**missed**"), table);
        assertTrue(table.contains("One run decides a target only when it clears it by more than the machine's noise"),
                table);
    }

    @Test
    void readinessIsJudgedAgainstRawsLoadNotOursWhichOverlapsTheStart() {
        // Ours loads while its listener starts, so its own load (1.5 s) would leave it 0.7 s.
        BenchReport.ProcessFacts raw = new BenchReport.ProcessFacts(600L, null, 500L * 1048576, 20.0);
        BenchReport.ProcessFacts ours = new BenchReport.ProcessFacts(1500L, 2200L, 520L * 1048576, 21.0);
        BenchTable.Target ready = BenchTable.summarize(List.of(report("raw", 1, 500, 50, 10, raw, null),
                report("ours", 1, 500, 50, 10, ours, null))).targets().stream()
                .filter(t -> t.name().startsWith("ready within")).findFirst().orElseThrow();
        assertEquals(Boolean.FALSE, ready.met(), ready.measured());
        assertEquals("2.20 s = raw's load 0.60 s + 1.60 s", ready.measured());

        BenchTable.Target alone = BenchTable.summarize(List.of(report("ours", 1, 500, 50, 10, ours, null))).targets()
                .stream().filter(t -> t.name().startsWith("ready within")).findFirst().orElseThrow();
        assertEquals("2.20 s = its own load 1.50 s + 0.70 s", alone.measured(), "without raw, its own load");
    }

    @Test
    void unmeasuredTargetsSaySoInsteadOfGuessing() {
        BenchTable.Summary summary = BenchTable.summarize(List.of(report("raw", 1, 500, 50, 10, null, null)));
        summary.targets().forEach(target -> assertNull(target.met(), target.name()));
        assertTrue(BenchTable.markdown(summary).contains("not measured"));
    }

    @Test
    void reportsAndProcessFactsRoundTripThroughTheFolder(@TempDir Path folder) throws Exception {
        BenchReport ours = report("ours", 1, 500, 50, 10, null, probes(2));
        Files.writeString(folder.resolve("ours-s1-r1.json"), BenchReport.JSON.writeValueAsString(ours));
        Files.writeString(folder.resolve("ours-s1-r1.proc.json"),
                "{\"load_millis\": 640, \"ready_millis\": 1700, \"peak_rss_bytes\": 600000000, \"cpu_seconds\": 30.5}\n");
        Files.writeString(folder.resolve("summary.json"), "{}"); // an earlier table's output is skipped
        Map<String, BenchReport> read = BenchTableCommand.read(folder);
        assertEquals(List.of("ours-s1-r1.json"), List.copyOf(read.keySet()));
        BenchReport back = read.get("ours-s1-r1.json");
        assertEquals(640L, back.process().loadMillis());
        assertEquals(1700L, back.process().readyMillis());
        assertEquals(30.5, back.process().cpuSeconds());
        assertEquals(ours.overall().ttftMs(), back.overall().ttftMs());
        assertEquals(ours.overall().streamDecodeTokPerS().p50(), back.overall().streamDecodeTokPerS().p50());
        assertEquals(2.0, back.probes().get(0).latencyMs().p99());
    }

    @Test
    void perRoundRatiosPairTheRunsOfEachRound() {
        Map<String, BenchReport> runs = new java.util.LinkedHashMap<>();
        // Round 1 is fast for both, round 2 slow for both: the medians would pair 40 with 30.
        runs.put("raw-s1-r1.json", report("raw", 1, 800, 40, 10, null, null));
        runs.put("ours-s1-r1.json", report("ours", 1, 810, 38, 10, null, null));
        runs.put("raw-s1-r2.json", report("raw", 1, 700, 30, 10, null, null));
        runs.put("ours-s1-r2.json", report("ours", 1, 690, 30, 10, null, null));
        runs.put("raw-s1-r3.json", report("raw", 1, 750, 36, 10, null, null)); // ours failed to run
        String table = PairedRounds.markdown(runs);
        assertTrue(table.contains("| decode tok/s per stream (p50), ours ÷ raw | 1 | 96 | 0.950, 1.000 | 0.975 |"), table);
        assertTrue(table.contains("| TTFT p50 ms, ours − raw | 1 | 96 | +10.0, -10.0 | +0.0 |"), table);
        assertEquals("", PairedRounds.markdown(Map.of("raw-s1-r1.json", runs.get("raw-s1-r1.json"))));
    }

    @Test
    void perRoundRatiosCompareWithLlamaServerWhenItRanInTheSameRound() {
        Map<String, BenchReport> runs = new java.util.LinkedHashMap<>();
        runs.put("raw-s1-r1.json", report("raw", 1, 800, 40, 10, null, null));
        runs.put("ours-s1-r1.json", report("ours", 1, 810, 38, 10, null, null));
        runs.put("llama-server-s1-r1.json", report("llama-server", 1, 820, 40, 10, null, null));
        runs.put("raw-s1-r2.json", report("raw", 1, 700, 30, 10, null, null));
        runs.put("ours-s1-r2.json", report("ours", 1, 690, 30, 10, null, null)); // llama-server did not run
        String table = PairedRounds.markdown(runs);
        assertTrue(table.contains("| decode tok/s per stream (p50), ours ÷ raw | 1 | 96 | 0.950, 1.000 | 0.975 |"), table);
        assertTrue(table.contains("| decode tok/s per stream (p50), ours ÷ llama-server | 1 | 96 | 0.950 | 0.950 |"), table);
        assertTrue(table.contains("| decode tok/s per stream (p50), llama-server ÷ raw | 1 | 96 | 1.000 | 1.000 |"), table);
        assertTrue(table.contains("| TTFT p50 ms, ours − llama-server | 1 | 96 | -10.0 | -10.0 |"), table);
        assertTrue(table.indexOf("ours ÷ raw") < table.indexOf("ours ÷ llama-server"), "ours against raw comes first");

        List<BenchTable.Target> targets = BenchTable.summarize(List.copyOf(runs.values())).targets();
        BenchTable.Target asFast = targets.stream().filter(t -> t.name().equals("decode tok/s, 1 stream ≥ llama-server's"))
                .findFirst().orElseThrow();
        assertEquals(Boolean.FALSE, asFast.met(), asFast.measured()); // medians: ours 34 against llama-server 40
        assertTrue(BenchTable.summarize(List.of(runs.get("raw-s1-r1.json"), runs.get("ours-s1-r1.json"))).targets()
                .stream().noneMatch(t -> t.name().contains("llama-server")), "no llama-server target when it did not run");
    }

    @Test
    void ttftIsJudgedOnTheShortPromptsAndTheRestOnTheMainScenario() {
        BenchReport.ProcessFacts facts = new BenchReport.ProcessFacts(600L, 1900L, 500L * 1048576, 20.0);
        Map<String, BenchReport> runs = new java.util.LinkedHashMap<>();
        runs.put("raw-s1-r1.json", report("raw", 1, 96, 700, 40, 10, facts, null));
        runs.put("ours-s1-r1.json", report("ours", 1, 96, 760, 40, 10, facts, null)); // +60 ms: prefill noise
        runs.put("raw-ttft-s1-r1.json", report("raw", 1, 16, 120, 40, 1, null, null));
        runs.put("ours-ttft-s1-r1.json", report("ours", 1, 16, 123, 40, 1, null, null));
        BenchTable.Summary summary = BenchTable.summarize(List.copyOf(runs.values()));
        assertEquals(List.of(ONE, new BenchTable.Scenario(1, 16)), List.copyOf(summary.medians().keySet()));

        Map<String, BenchTable.Target> targets = new java.util.HashMap<>();
        summary.targets().forEach(t -> targets.put(t.name(), t));
        BenchTable.Target ttft = targets.get("TTFT overhead over raw ≤ 5 ms (1 stream, 16-token prompts, p50)");
        assertEquals(Boolean.TRUE, ttft.met(), ttft.measured());
        assertTrue(ttft.measured().startsWith("+3.0 ms"), ttft.measured());
        assertEquals(1, summary.targets().stream().filter(t -> t.name().startsWith("ready within")).count(),
                "readiness is judged once per server, on its main scenario");

        String table = BenchTable.markdown(summary) + PairedRounds.markdown(runs);
        assertTrue(table.contains("**1 stream, 1 slot, 16-token prompts**"), table);
        assertTrue(table.contains("| TTFT p50 ms, ours − raw | 1 | 16 | +3.0 | +3.0 |"), table);
        assertTrue(table.contains("| TTFT p50 ms, ours − raw | 1 | 96 | +60.0 | +60.0 |"), table);
    }

    @Test
    void severalRunsPoolTheirRoundsAndCountTheRoundsAtEachTarget(@TempDir Path base) throws Exception {
        // Run 1: 1-stream decode ratios 0.950 and 1.000, TTFT +10 and −10 ms; run 2: 0.990, +2 ms.
        Path first = Files.createDirectories(base.resolve("run1"));
        Path second = Files.createDirectories(base.resolve("run2"));
        write(first, "raw-s1-r1.json", report("raw", 1, 800, 40, 10, null, null));
        write(first, "ours-s1-r1.json", report("ours", 1, 810, 38, 10, null, null));
        write(first, "raw-s1-r2.json", report("raw", 1, 700, 30, 10, null, null));
        write(first, "ours-s1-r2.json", report("ours", 1, 690, 30, 10, null, null));
        write(second, "raw-s1-r1.json", report("raw", 1, 700, 50, 10, null, null));
        write(second, "ours-s1-r1.json", report("ours", 1, 702, 49.5, 10, null, null));
        write(second, "raw-s4-r1.json", report("raw", 4, 900, 10, 10, null, null));
        write(second, "ours-s4-r1.json", report("ours", 4, 950, 9.7, 10 / 0.97, null, null));

        String table = PooledRounds.markdown(List.of(BenchTableCommand.read(first), BenchTableCommand.read(second)));
        assertTrue(table.contains("| per round, 2 runs pooled |"), table);
        // 0.950, 1.000, 0.990: the median is 0.990, 2 of 3 rounds reach 0.98.
        assertTrue(table.contains("| decode tok/s per stream (p50), ours ÷ raw | 1 | 96 | 2 | 3 | 0.990 | 0.950 to 1.000 "
                + "| 2 of 3 (≥ 0.98) |"), table);
        // Without a 16-token scenario, TTFT is judged on the 96-token rounds: +10, −10, +2 ms.
        assertTrue(table.contains("| TTFT p50 ms, ours − raw | 1 | 96 | 2 | 3 | +2.0 | -10.0 to +10.0 | 2 of 3 (≤ +5 ms) |"),
                table);
        assertTrue(table.contains("| aggregate tok/s, ours ÷ raw | 4 | 96 | 1 | 1 | 0.970 | 0.970 to 0.970 "
                + "| 1 of 1 (≥ 0.95) |"), table);
        assertTrue(table.contains("| aggregate tok/s, ours ÷ raw | 1 | 96 | 2 | 3 |"), table);
        assertTrue(table.lines().filter(l -> l.startsWith("| aggregate tok/s, ours ÷ raw | 1 |"))
                .allMatch(l -> l.endsWith("| – |")), "no target on 1-stream throughput");
        assertEquals("", PooledRounds.markdown(List.of(Map.of(), Map.of())));

        // The command pools when given several folders, and says so when nothing pairs.
        assertEquals(0, new picocli.CommandLine(new BenchTableCommand()).execute(first.toString(), second.toString()));
        assertEquals(List.of("ours-s1-r1.json", "ours-s1-r2.json", "raw-s1-r1.json", "raw-s1-r2.json"),
                Files.list(first).map(f -> f.getFileName().toString()).sorted().toList(),
                "pooling writes nothing into the runs' folders");
        Path empty = Files.createDirectories(base.resolve("empty"));
        assertEquals(1, new picocli.CommandLine(new BenchTableCommand()).execute(empty.toString(), empty.toString()));
    }

    private static void write(Path folder, String name, BenchReport report) throws Exception {
        Files.writeString(folder.resolve(name), BenchReport.JSON.writeValueAsString(report));
    }
}
