package io.inventiv.worker.tools.bench;

import io.inventiv.worker.tools.bench.BenchTable.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ours ÷ raw per round, and ours ÷ llama-server and llama-server ÷ raw when llama-server ran. In a
 * round, {@code scripts/bench.sh} runs the targets one right after the other, so a pair of runs
 * from the same round shares the machine's state. On a machine whose speed drifts within minutes,
 * the median of these per-round ratios is steadier than the ratio of the two medians, which may
 * come from different rounds (docs/DECISIONS.md, "Paired waves"). Rounds are read from the report
 * file names the script writes ({@code NAME-rROUND.json}); the label and scenario are the report's
 * own.
 */
public final class PairedRounds {
    private static final Pattern NAME = Pattern.compile(".+-r(\\d+)\\.json");

    /** A figure compared per round: a ratio, or a difference in its own unit. */
    record Figure(String name, Function<BenchReport, Double> value, boolean difference, String format) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("decode tok/s per stream (p50)", r -> r.overall().streamDecodeTokPerS().p50(), false, "%.3f"),
            new Figure("aggregate tok/s", r -> r.overall().aggregateTokPerS(), false, "%.3f"),
            new Figure("TTFT p50 ms", r -> r.overall().ttftMs().p50(), true, "%+.1f"));

    /** Which target is compared with which: the first is divided by (or has subtracted) the second. */
    record Comparison(String target, String baseline) {
    }

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison(BenchTable.OURS, BenchTable.RAW),
            new Comparison(BenchTable.OURS, BenchTable.LLAMA_SERVER),
            new Comparison(BenchTable.LLAMA_SERVER, BenchTable.RAW));

    private PairedRounds() {
    }

    /** One line of the per-round table: a figure compared between two targets in one scenario. */
    record Line(Comparison comparison, Scenario scenario, Figure figure) {
        String name() {
            return figure.name() + ", " + comparison.target() + (figure.difference() ? " − " : " ÷ ")
                    + comparison.baseline();
        }

        String format(double value) {
            return String.format(Locale.ROOT, figure.format(), value);
        }
    }

    /** Markdown, one line per stream count and figure; empty when no round has both targets. */
    public static String markdown(Map<String, BenchReport> reportsByFileName) {
        StringBuilder out = new StringBuilder();
        perRoundLines(reportsByFileName).forEach((line, perRound) -> {
            if (out.isEmpty()) {
                out.append("\n| per round | streams | prompt | rounds | median |\n"
                        + "|---|---:|---:|---|---:|\n");
            }
            out.append("| ").append(line.name()).append(" | ").append(line.scenario().streams()).append(" | ")
                    .append(line.scenario().promptTokens()).append(" | ")
                    .append(String.join(", ", perRound.stream().map(line::format).toList())).append(" | ")
                    .append(line.format(Distribution.median(perRound))).append(" |\n");
        });
        return out.toString();
    }

    /**
     * Each line's per-round values, in the table's order (comparison, scenario, figure), lines
     * without a round that ran both targets left out.
     */
    static Map<Line, List<Double>> perRoundLines(Map<String, BenchReport> reportsByFileName) {
        // scenario -> round -> label -> report
        Map<Scenario, Map<Integer, Map<String, BenchReport>>> byScenario = new TreeMap<>();
        reportsByFileName.forEach((fileName, report) -> {
            Matcher name = NAME.matcher(fileName);
            if (name.matches()) {
                byScenario.computeIfAbsent(Scenario.of(report), n -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(name.group(1)), r -> new TreeMap<>())
                        .put(BenchTable.labelOf(report), report);
            }
        });
        Map<Line, List<Double>> lines = new LinkedHashMap<>();
        for (Comparison comparison : COMPARISONS) {
            for (var scenario : byScenario.entrySet()) {
                for (Figure figure : FIGURES) {
                    List<Double> perRound = perRound(scenario.getValue().values(), comparison, figure);
                    if (!perRound.isEmpty()) {
                        lines.put(new Line(comparison, scenario.getKey(), figure), perRound);
                    }
                }
            }
        }
        return lines;
    }

    /** The figure's ratio (or difference) in each round that ran both targets. */
    private static List<Double> perRound(Iterable<Map<String, BenchReport>> rounds, Comparison comparison,
            Figure figure) {
        List<Double> perRound = new ArrayList<>();
        for (Map<String, BenchReport> round : rounds) {
            BenchReport target = round.get(comparison.target());
            BenchReport baseline = round.get(comparison.baseline());
            Double a = target == null ? null : figure.value().apply(target);
            Double b = baseline == null ? null : figure.value().apply(baseline);
            if (a != null && b != null && (figure.difference() || b != 0)) {
                perRound.add(figure.difference() ? a - b : a / b);
            }
        }
        return perRound;
    }
}
