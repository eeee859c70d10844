package io.inventiv.worker.tools.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
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
 *
 * <p>{@code perRequest} keeps each request's own figures, in the order they were sent, so that a
 * round's p50 can be read against its requests (with 4 requests a round, one slow prefill moves
 * it) and a slow stretch of the machine can be told from a slow target.
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
        double requestsPerS,
        List<Request> perRequest) {

    /**
     * One request: when it was sent, in ms since this client's JVM started (in {@code bench-paired}
     * every target's requests are on that one clock, so they line up across reports); its TTFT and
     * decode speed (null when not measured); its completion tokens; its error kind, null for a
     * success.
     */
    public record Request(double sentMs, Double ttftMs, Double decodeTokPerS, int completionTokens, String error) {
        static Request of(StreamResult result, long originNanos) {
            return new Request(Math.round((result.startNanos() - originNanos) / 1e4) / 100.0,
                    measured(result.ttftMillis()), measured(result.decodeTokensPerSecond()),
                    result.completionTokens(), result.errorKind());
        }

        private static Double measured(double value) {
            return Double.isNaN(value) ? null : Math.round(value * 1000) / 1000.0;
        }
    }

    public static RunSummary of(List<PhaseResult> phases) {
        List<Double> ttft = new ArrayList<>();
        List<Double> itl = new ArrayList<>();
        List<Double> decode = new ArrayList<>();
        List<Double> prompts = new ArrayList<>();
        Map<String, Integer> errors = new TreeMap<>();
        List<StreamResult> all = phases.stream().flatMap(phase -> phase.results().stream())
                .sorted(Comparator.comparingLong(StreamResult::startNanos)).toList();
        long originNanos = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000;
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
                wallSeconds > 0 ? tokens / wallSeconds : 0, wallSeconds > 0 ? succeeded / wallSeconds : 0,
                all.stream().map(result -> Request.of(result, originNanos)).toList());
    }

    private static void addIfMeasured(List<Double> values, double value) {
        if (!Double.isNaN(value)) {
            values.add(value);
        }
    }
}
