package io.inventiv.worker.tools.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One comparison table from many bench reports: a block per scenario (streams and prompt
 * length), a column per target label (median over the rounds that ran it), and the ratio columns
 * "ours ÷ raw" and "ours ÷ llama-server". Then the targets, each met or missed from the
 * same medians.
 */
public final class BenchTable {
    public static final String RAW = "raw";
    public static final String OURS = "ours";
    public static final String LLAMA_SERVER = "llama-server";
    private static final List<String> KNOWN_ORDER = List.of(RAW, "engine", OURS, LLAMA_SERVER);

    /** A row: its name, how to read it from one report, and its number format. */
    record Metric(String name, Function<BenchReport, Double> value, String format) {
    }

    static final List<Metric> METRICS = List.of(
            new Metric("decode tok/s per stream (p50)", r -> r.overall().streamDecodeTokPerS().p50(), "%.1f"),
            new Metric("aggregate tok/s", r -> r.overall().aggregateTokPerS(), "%.1f"),
            new Metric("TTFT p50 ms", r -> r.overall().ttftMs().p50(), "%.1f"),
            new Metric("TTFT p99 ms", r -> r.overall().ttftMs().p99(), "%.1f"),
            new Metric("ITL p50 ms", r -> r.overall().itlMs().p50(), "%.2f"),
            new Metric("ITL p95 ms", r -> r.overall().itlMs().p95(), "%.2f"),
            new Metric("requests/s", r -> r.overall().requestsPerS(), "%.3f"),
            new Metric("/metrics p99 ms", r -> probeP99(r, "/metrics"), "%.2f"),
            new Metric("/v1/models p99 ms", r -> probeP99(r, "/v1/models"), "%.2f"),
            new Metric("model load s", r -> r.process() == null || r.process().loadMillis() == null ? null
                    : r.process().loadMillis() / 1000.0, "%.2f"),
            new Metric("start → ready s", r -> r.process() == null || r.process().readyMillis() == null ? null
                    : r.process().readyMillis() / 1000.0, "%.2f"),
            new Metric("peak RSS MiB", r -> r.process() == null || r.process().peakRssBytes() < 0 ? null
                    : r.process().peakRssBytes() / 1048576.0, "%.0f"),
            new Metric("CPU s, generating process", r -> r.process() == null ? null : r.process().cpuSeconds(),
                    "%.1f"),
            new Metric("CPU s, bench client", BenchReport::clientCpuSeconds, "%.1f"),
            new Metric("failed requests", r -> (double) (r.overall().requests() - r.overall().succeeded()), "%.0f"));

    /** A target of the issue, judged on the medians. */
    public record Target(String name, String measured, Boolean met) {
    }

    /** A block of the table: the number of streams (and slots), and every request's prompt length. */
    public record Scenario(int streams, int promptTokens) implements Comparable<Scenario> {
        static Scenario of(BenchReport report) {
            return new Scenario(report.settings().concurrency(), report.settings().promptTokens());
        }

        /** Fewer streams first; for the same streams, the longer (main) prompt first. */
        @Override
        public int compareTo(Scenario other) {
            return streams != other.streams ? Integer.compare(streams, other.streams)
                    : Integer.compare(other.promptTokens, promptTokens);
        }

        String title() {
            return String.format(Locale.ROOT, "%d stream%s, %d slot%s, %d-token prompts", streams,
                    streams == 1 ? "" : "s", streams, streams == 1 ? "" : "s", promptTokens);
        }

        /** The key in summary.json. */
        @Override
        public String toString() {
            return "s" + streams + "-p" + promptTokens;
        }
    }

    /** The medians by scenario, metric and label; what the table and the targets are made of. */
    public record Summary(Map<Scenario, Map<String, Map<String, Double>>> medians,
            Map<Scenario, Map<String, Integer>> rounds, List<String> labels, List<Target> targets) {
    }

    private BenchTable() {
    }

    public static Summary summarize(List<BenchReport> reports) {
        TreeSet<Scenario> scenarios = new TreeSet<>();
        TreeSet<String> labelSet = new TreeSet<>(Comparator.comparingInt(BenchTable::labelRank)
                .thenComparing(Comparator.naturalOrder()));
        for (BenchReport report : reports) {
            scenarios.add(Scenario.of(report));
            labelSet.add(labelOf(report));
        }
        List<String> labels = List.copyOf(labelSet);
        Map<Scenario, Map<String, Map<String, Double>>> medians = new LinkedHashMap<>();
        Map<Scenario, Map<String, Integer>> rounds = new LinkedHashMap<>();
        for (Scenario scenario : scenarios) {
            Map<String, Map<String, Double>> byMetric = new LinkedHashMap<>();
            Map<String, Integer> roundCount = new LinkedHashMap<>();
            for (String label : labels) {
                List<BenchReport> runs = reports.stream()
                        .filter(r -> Scenario.of(r).equals(scenario) && labelOf(r).equals(label)).toList();
                if (!runs.isEmpty()) {
                    roundCount.put(label, runs.size());
                }
                for (Metric metric : METRICS) {
                    List<Double> values = new ArrayList<>();
                    for (BenchReport run : runs) {
                        values.add(metric.value().apply(run));
                    }
                    byMetric.computeIfAbsent(metric.name(), k -> new LinkedHashMap<>())
                            .put(label, Distribution.median(values));
                }
            }
            medians.put(scenario, byMetric);
            rounds.put(scenario, roundCount);
        }
        return new Summary(medians, rounds, labels, BenchTargets.judge(medians));
    }

    /** Markdown: readable in a terminal, and pasted as is into docs/BENCHMARKS.md. */
    public static String markdown(Summary summary) {
        List<String> ratios = new ArrayList<>();
        if (summary.labels().contains(OURS) && summary.labels().contains(RAW)) {
            ratios.add(RAW);
        }
        if (summary.labels().contains(OURS) && summary.labels().contains(LLAMA_SERVER)) {
            ratios.add(LLAMA_SERVER);
        }
        StringBuilder out = new StringBuilder();
        for (var block : summary.medians().entrySet()) {
            Scenario scenario = block.getKey();
            out.append(String.format(Locale.ROOT, "%n**%s** (rounds: %s)%n%n", scenario.title(),
                    summary.rounds().get(scenario)));
            out.append("| metric |");
            summary.labels().forEach(label -> out.append(' ').append(label).append(" |"));
            ratios.forEach(label -> out.append(" ours ÷ ").append(label).append(" |"));
            out.append("\n|---|");
            out.append("---:|".repeat(summary.labels().size() + ratios.size()));
            out.append('\n');
            for (Metric metric : METRICS) {
                Map<String, Double> values = block.getValue().get(metric.name());
                if (values.values().stream().allMatch(Objects::isNull)) {
                    continue;
                }
                out.append("| ").append(metric.name()).append(" |");
                for (String label : summary.labels()) {
                    out.append(' ').append(format(metric.format(), values.get(label))).append(" |");
                }
                for (String label : ratios) {
                    out.append(' ').append(ratio(values.get(OURS), values.get(label))).append(" |");
                }
                out.append('\n');
            }
        }
        out.append("\n| target | measured | met |\n|---|---|---|\n");
        for (Target target : summary.targets()) {
            out.append("| ").append(target.name()).append(" | ").append(target.measured()).append(" | ")
                    .append(target.met() == null ? "not measured" : target.met() ? "met" : "**missed**").append(" |\n");
        }
        // The noise is how far paired rounds of one run spread (docs/DECISIONS.md, "Paired waves").
        out.append("\nOne run decides a target only when it clears it by more than the machine's noise; on a\n"
                + "shared 2-core VM that is about 5%. Compare the per-round lines below across several runs.\n");
        return out.toString();
    }

    static String labelOf(BenchReport report) {
        return report.label() != null ? report.label() : report.target();
    }

    private static int labelRank(String label) {
        int index = KNOWN_ORDER.indexOf(label);
        return index < 0 ? KNOWN_ORDER.size() : index;
    }

    private static Double probeP99(BenchReport report, String path) {
        if (report.probes() == null) {
            return null;
        }
        return report.probes().stream().filter(p -> p.path().equals(path)).map(p -> p.latencyMs().p99())
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String format(String format, Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, format, value);
    }

    private static String ratio(Double numerator, Double denominator) {
        if (numerator == null || denominator == null || denominator == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.3f", numerator / denominator);
    }
}
