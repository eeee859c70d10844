package io.inventiv.worker.tools.soak;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The soak's verdict: errors, memory drift after warm-up, and counters against the tally. */
final class SoakReport {
    /**
     * Memory settles during warm-up, where RSS can take a one-time step in the first minutes, so
     * warm-up is three minutes, or a fifth of a longer run (docs/DECISIONS.md, "Native heap trim").
     */
    private static final double WARM_UP_FRACTION = 0.2;
    private static final long MIN_WARM_UP_MILLIS = 180_000;
    private static final double MAX_RSS_DRIFT = 0.05;
    private static final long RSS_WINDOW_MILLIS = 60_000;

    private final SoakTally tally;
    private final Map<String, Double> before;
    private final Map<String, Double> after;
    private final List<long[]> rss;
    private final long durationMillis;
    private final MemoryTrace.Change memory;
    private final List<String> failures = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    /** {@code memory}: the breakdown after warm-up and at the end, or null if the run was too short. */
    SoakReport(SoakTally tally, Map<String, Double> before, Map<String, Double> after, List<long[]> rss,
            long durationMillis, MemoryTrace.Change memory) {
        this.memory = memory;
        this.tally = tally;
        this.before = before;
        this.after = after;
        this.rss = rss;
        this.durationMillis = durationMillis;
        check();
    }

    static double byReason(Map<String, Double> metrics, String reason) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().startsWith("vllm:request_success_total{")
                        && e.getKey().contains("finished_reason=\"" + reason + "\""))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    boolean passed() {
        return failures.isEmpty();
    }

    private void check() {
        if (!tally.errors.isEmpty()) {
            failures.add("unexpected errors: " + tally.errors);
        }
        compare("finished with stop", tally.stop, delta(m -> byReason(m, "stop")));
        compare("finished with length", tally.length, delta(m -> byReason(m, "length")));
        compare("aborted by a disconnect", tally.dropped, delta(m -> byReason(m, "abort")));
        compare("requests in e2e latency histogram", tally.requests(), delta(m -> series(m, "vllm:e2e_request_latency_seconds_count")));
        compare("prompt tokens (request_prompt_tokens_sum)", tally.promptTokens, delta(m -> series(m, "vllm:request_prompt_tokens_sum")));
        double generated = delta(m -> series(m, "vllm:generation_tokens_total"));
        compare("generation tokens: counter vs histogram sum", (long) generated, delta(m -> series(m, "vllm:request_generation_tokens_sum")));
        if (generated < tally.completionTokens) {
            failures.add("generation_tokens_total grew by " + generated + ", less than the " + tally.completionTokens
                    + " tokens completed requests reported");
        }
        lines.add(String.format(Locale.ROOT, "| generation tokens (completed requests, client) | %d | %.0f incl. aborted |",
                tally.completionTokens, generated));
        checkRss();
    }

    /** When the warm-up ends, in ms since the load began. */
    static long warmUpEndsMillis(long durationMillis) {
        return Math.max((long) (durationMillis * WARM_UP_FRACTION), MIN_WARM_UP_MILLIS);
    }

    private void checkRss() {
        long warmUpEnds = warmUpEndsMillis(durationMillis);
        List<long[]> settled = rss.stream().filter(s -> s[0] >= warmUpEnds).toList();
        long span = settled.isEmpty() ? 0 : settled.getLast()[0] - settled.getFirst()[0];
        if (span < 30_000) {
            lines.add("| RSS drift | not judged: the run ends within 30 s of the 3-minute warm-up | |");
            return;
        }
        // Single samples can differ by more than the limit; the medians of a minute at each end see
        // a trend, not one sample's luck (docs/DECISIONS.md, "Soak drift on minute medians").
        long window = Math.min(RSS_WINDOW_MILLIS, span / 3);
        long from = settled.getFirst()[0];
        long to = settled.getLast()[0];
        long base = medianKb(settled, from, from + window);
        long end = medianKb(settled, to - window, to);
        long peak = rss.stream().mapToLong(s -> s[1]).max().orElse(0);
        double drift = (double) (end - base) / base;
        lines.add(String.format(Locale.ROOT,
                "| RSS after warm-up → end (medians of %d s at each end) | %.1f MB → %.1f MB | drift %+.2f%% (peak %.1f MB) |",
                window / 1000, base / 1024.0, end / 1024.0, drift * 100, peak / 1024.0));
        if (drift > MAX_RSS_DRIFT) {
            failures.add(String.format(Locale.ROOT, "RSS drifted %+.2f%% after warm-up (limit 5%%); grew most: %s",
                    drift * 100, memory == null ? "not broken down (run too short)" : memory.largestGrowth()));
        }
    }

    /** The median RSS of the samples taken from {@code from} to {@code to} ms, both included. */
    private static long medianKb(List<long[]> samples, long from, long to) {
        long[] values = samples.stream().filter(s -> s[0] >= from && s[0] <= to).mapToLong(s -> s[1]).sorted()
                .toArray();
        return values[values.length / 2];
    }

    private void compare(String what, long client, double server) {
        lines.add(String.format(Locale.ROOT, "| %s | %d | %.0f |", what, client, server));
        if (Math.abs(server - client) > 0.5) {
            failures.add(what + ": clients counted " + client + ", the server " + server);
        }
    }

    private double delta(java.util.function.ToDoubleFunction<Map<String, Double>> read) {
        return read.applyAsDouble(after) - read.applyAsDouble(before);
    }

    private static double series(Map<String, Double> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{") || e.getKey().equals(name))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    String summary(boolean exitedCleanly, Path model, String engine) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT,
                "Soak: %d s against %s on the %s engine, %d requests (%d completed, %d dropped by the client)%n%n",
                durationMillis / 1000, model.getFileName(), engine, tally.requests(), tally.completed, tally.dropped));
        text.append("| check | clients | server |\n|---|---|---|\n");
        lines.forEach(line -> text.append(line).append('\n'));
        text.append("| SIGTERM → exit code 0 | ").append(exitedCleanly ? "yes" : "NO").append(" | |\n\n");
        if (memory != null) {
            text.append(memory.heading()).append(" (memory.csv has every minute):\n\n");
            text.append("| kind | after warm-up | end | change |\n|---|---|---|---|\n");
            memory.rows().forEach(row -> text.append(row).append('\n'));
            text.append('\n');
        }
        text.append(failures.isEmpty() && exitedCleanly ? "PASSED\n" : "FAILED:\n");
        failures.forEach(failure -> text.append("- ").append(failure).append('\n'));
        return text.toString();
    }
}
