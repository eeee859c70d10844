package io.inventiv.worker.tools.bench;

import io.inventiv.worker.tools.bench.BenchTable.Scenario;
import io.inventiv.worker.tools.bench.PairedRounds.Line;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The per-round lines of several bench runs, pooled: one run's three rounds cannot decide a
 * target that lies within the machine's noise, so the targets are judged on the median over every
 * round of several runs, with the bootstrap's 95% interval of that median and how many rounds
 * met the target. {@code bench-table DIR DIR...} prints it; docs/BENCHMARKS.md quotes it.
 */
final class PooledRounds {
    static final int RESAMPLES = 10_000;
    private static final long SEED = 1;

    /** A target judged per round: as the table shows it, and what a round must reach. */
    private record RoundTarget(String text, DoublePredicate met) {
    }

    private PooledRounds() {
    }

    /** Markdown of the pooled lines, runs given in order; empty when no run has a paired round. */
    static String markdown(List<Map<String, BenchReport>> runs) {
        Map<Line, List<Double>> pooled = new LinkedHashMap<>();
        Map<Line, Integer> runCount = new LinkedHashMap<>();
        for (Map<String, BenchReport> run : runs) {
            PairedRounds.perRoundLines(run).forEach((line, perRound) -> {
                pooled.computeIfAbsent(line, l -> new ArrayList<>()).addAll(perRound);
                runCount.merge(line, 1, Integer::sum);
            });
        }
        if (pooled.isEmpty()) {
            return "";
        }
        List<Scenario> scenarios = pooled.keySet().stream().map(Line::scenario).distinct().toList();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n| per round, %d runs pooled | streams | prompt | runs | rounds | median | 95%% interval of the"
                        + " median | rounds at the target |%n|---|---:|---:|---:|---:|---:|---|---|%n",
                runs.size()));
        pooled.forEach((line, values) -> {
            double[] interval = Distribution.medianInterval(values, RESAMPLES, SEED);
            RoundTarget target = targetOf(line, scenarios);
            String atTarget = "–";
            if (target != null) {
                long met = values.stream().filter(v -> target.met().test(v)).count();
                atTarget = met + " of " + values.size() + " (" + target.text() + ")";
            }
            out.append("| ").append(line.name()).append(" | ").append(line.scenario().streams()).append(" | ")
                    .append(line.scenario().promptTokens()).append(" | ").append(runCount.get(line)).append(" | ")
                    .append(values.size()).append(" | ").append(line.format(Distribution.median(values)))
                    .append(" | ").append(line.format(interval[0])).append(" to ").append(line.format(interval[1]))
                    .append(" | ").append(atTarget).append(" |\n");
        });
        return out.toString();
    }

    /**
     * The per-round targets, on the lines BenchTargets judges: 1-stream decode on the
     * main (longest) prompts, TTFT overhead on the shortest, aggregate throughput at 4 streams;
     * ours against raw, and "at least as fast as llama-server". Null for the other lines.
     */
    private static RoundTarget targetOf(Line line, List<Scenario> scenarios) {
        Scenario scenario = line.scenario();
        boolean againstRaw = line.comparison().baseline().equals(BenchTable.RAW);
        boolean againstLlamaServer = line.comparison().baseline().equals(BenchTable.LLAMA_SERVER);
        if (!line.comparison().target().equals(BenchTable.OURS) || !(againstRaw || againstLlamaServer)) {
            return null;
        }
        String figure = line.figure().name();
        boolean main = BenchTargets.isMain(scenario, scenarios);
        if (main && scenario.streams() == 1 && figure.startsWith("decode")) {
            return atLeast(againstRaw ? BenchTargets.DECODE_RATIO : 1.0);
        }
        if (main && scenario.streams() == 4 && figure.startsWith("aggregate")) {
            return atLeast(againstRaw ? BenchTargets.AGGREGATE_RATIO : 1.0);
        }
        if (againstRaw && scenario.equals(BenchTargets.ttftScenario(scenarios)) && figure.startsWith("TTFT")) {
            return new RoundTarget(String.format(Locale.ROOT, "≤ +%.0f ms", BenchTargets.TTFT_OVERHEAD_MS),
                    v -> v <= BenchTargets.TTFT_OVERHEAD_MS);
        }
        return null;
    }

    private static RoundTarget atLeast(double ratio) {
        return new RoundTarget(String.format(Locale.ROOT, "≥ %.2f", ratio), v -> v >= ratio);
    }
}
