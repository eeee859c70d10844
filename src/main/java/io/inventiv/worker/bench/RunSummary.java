package io.inventiv.worker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures the issue asks for, over one phase or several pooled together.
 *
 * <p>TTFT is request sent → first content delta (it includes queueing for a slot). ITL is the
 * gap between consecutive deltas. {@code streamDecodeTokPerS} is per request, prompt time
 * excluded; {@code aggregateTokPerS} is every completion token of successful requests over the
 * wall time, so it is what the machine delivered. Latency statistics count successful requests
 * only; failures are counted by kind in {@code errors}.
 */
public record RunSummary(
        int requests,
        int succeeded,
        Map<String, Integer> errors,
        long completionTokens,
        Double promptTokensMedian,
        double wallSeconds,
        Distribution ttftMs,
        Distribution itlMs,
        Distribution streamDecodeTokPerS,
        double aggregateTokPerS,
        double requestsPerS) {

    public static RunSummary of(List<PhaseResult> phases) {
        List<Double> ttft = new ArrayList<>();
        List<Double> itl = new ArrayList<>();
        List<Double> decode = new ArrayList<>();
        List<Double> prompts = new ArrayList<>();
        Map<String, Integer> errors = new TreeMap<>();
        int requests = 0;
        int succeeded = 0;
        long tokens = 0;
        long wallNanos = 0;
        for (PhaseResult phase : phases) {
            wallNanos += phase.wallNanos();
            for (StreamResult result : phase.results()) {
                requests++;
                if (!result.ok()) {
                    errors.merge(result.errorKind(), 1, Integer::sum);
                    continue;
                }
                succeeded++;
                tokens += result.completionTokens();
                addIfMeasured(ttft, result.ttftMillis());
                addIfMeasured(decode, result.decodeTokensPerSecond());
                for (long gap : result.interTokenNanos()) {
                    itl.add(gap / 1e6);
                }
                if (result.promptTokens() >= 0) {
                    prompts.add((double) result.promptTokens());
                }
            }
        }
        double wallSeconds = wallNanos / 1e9;
        return new RunSummary(requests, succeeded, errors, tokens, Distribution.median(prompts), wallSeconds,
                Distribution.of(ttft), Distribution.of(itl), Distribution.of(decode),
                wallSeconds > 0 ? tokens / wallSeconds : 0, wallSeconds > 0 ? succeeded / wallSeconds : 0);
    }

    private static void addIfMeasured(List<Double> values, double value) {
        if (!Double.isNaN(value)) {
            values.add(value);
        }
    }
}
