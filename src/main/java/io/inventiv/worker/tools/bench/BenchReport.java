package io.inventiv.worker.tools.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * Everything one bench run measured, as printed with {@code --json} and read back by
 * {@code bench-table}. {@code overall} pools the measured repeats: latencies over every
 * request, throughput over the summed wall time.
 *
 * @param target   {@code http}, {@code binding} (raw de.kherud:llama) or {@code engine}
 * @param label    free name for tables, e.g. "ours" or "llama-server"
 * @param process  load time and peak RSS of this JVM, for in-process targets; null over HTTP
 * @param clientCpuSeconds CPU time the bench client itself used (HTTP only): on a machine with
 *                 few cores it competes with the server for them
 */
public record BenchReport(
        String target,
        String label,
        String url,
        String model,
        String startedAt,
        Settings settings,
        List<RunSummary> repeats,
        RunSummary overall,
        List<ProbeStats> probes,
        ProcessFacts process,
        Double clientCpuSeconds) {

    /** Field names in JSON are snake_case, like the APIs this tool talks to. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The load and, for in-process targets, the model settings. {@code promptExact} says the
     * prompt was given as exactly {@code promptTokens} token ids (else it is text of about
     * that many tokens).
     */
    public record Settings(int concurrency, int promptTokens, boolean promptExact, int maxTokens, int warmupRequests,
            int warmupMaxTokens, String bound, int repeats, BenchSampling sampling, Integer parallel,
            Integer threads, Integer maxModelLen) {

        public static Settings of(LoadPlan plan, boolean promptExact, BenchSampling sampling, Integer parallel,
                Integer threads, Integer maxModelLen) {
            return new Settings(plan.concurrency(), plan.promptTokens(), promptExact, plan.maxTokens(),
                    plan.warmupRequests(), plan.warmupMaxTokens(), plan.boundDescription(), plan.repeats(), sampling,
                    parallel, threads, maxModelLen);
        }
    }

    /**
     * Start-up, memory and CPU of the process that generated; sizes in bytes, -1 when unknown.
     * {@code cpuSeconds} is user + system time over the process's whole life, load included.
     */
    public record ProcessFacts(Long loadMillis, Long readyMillis, long peakRssBytes, Double cpuSeconds) {
        /** This JVM's facts, for a target that generated in process after a load of {@code loadMillis}. */
        public static ProcessFacts ofThisJvm(long loadMillis) {
            return new ProcessFacts(loadMillis, null, ProcStatus.peakRssBytes(), ownCpuSeconds());
        }
    }

    public static BenchReport of(String target, String label, String url, String model, java.time.Instant startedAt,
            Settings settings, List<PhaseResult> phases, List<ProbeStats> probes, ProcessFacts process,
            Double clientCpuSeconds) {
        List<RunSummary> repeats = phases.stream().map(phase -> RunSummary.of(List.of(phase))).toList();
        return new BenchReport(target, label, url, model, startedAt.toString(), settings, repeats,
                RunSummary.of(phases), probes, process, clientCpuSeconds);
    }

    /** CPU time this JVM has used so far, in seconds; null where the platform does not say. */
    public static Double ownCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(null);
    }
}
