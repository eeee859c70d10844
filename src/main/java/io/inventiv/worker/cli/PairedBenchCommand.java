package io.inventiv.worker.cli;

import io.inventiv.worker.bench.BenchReport;
import io.inventiv.worker.bench.HttpStreamDriver;
import io.inventiv.worker.bench.LoadOptions;
import io.inventiv.worker.bench.LoadPlan;
import io.inventiv.worker.bench.PairedRunner;
import io.inventiv.worker.bench.PhaseResult;
import io.inventiv.worker.bench.RawBindingDriver;
import io.inventiv.worker.bench.SideProbe;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench-paired}: alternates, wave by wave, between the raw binding loaded in this process
 * and a server over HTTP, on the same prompts (see {@link PairedRunner}). A side probe times the
 * server's /metrics and /v1/models during the server's waves only. It writes one report per
 * target, as {@code bench-raw} and {@code bench} would, so {@code bench-table} reads them alike.
 * The raw report's peak RSS and CPU are this JVM's, which also holds the HTTP client.
 */
@Command(name = "bench-paired", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Alternate waves of requests between the raw binding (in process) and a server on 127.0.0.1.")
public final class PairedBenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerTargetOptions target;

    @Mixin
    private InProcessModelOptions model;

    @Mixin
    private LoadOptions load;

    @Option(names = "--raw-report", required = true, paramLabel = "FILE", description = "Where the raw report goes (JSON).")
    private Path rawReport;

    @Option(names = "--server-report", required = true, paramLabel = "FILE",
            description = "Where the server's report goes (JSON).")
    private Path serverReport;

    @Option(names = "--probe-interval-ms", defaultValue = "0",
            description = "How often /metrics and /v1/models are timed during the server's waves; 0 = never "
                    + "(default ${DEFAULT-VALUE}).")
    private long probeIntervalMillis;

    @Override
    public Integer call() throws Exception {
        URI base;
        LoadPlan plan;
        try {
            base = target.base();
            plan = load.plan();
            PairedRunner.requireWholeWaves(plan);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (model.problem() != null) {
            throw new ParameterException(spec.commandLine(), model.problem());
        }
        Instant startedAt = Instant.now();
        HttpStreamDriver server = HttpStreamDriver.connect(base, null, plan.promptTokens(), load.sampling(),
                target.requestTimeout(), load.progress());
        if (server == null) {
            System.err.println("error: nothing answers at " + base);
            return 1;
        }
        long loadStart = System.nanoTime();
        int slots = model.slots(plan.concurrency());
        RawBindingDriver raw = model.loadRaw(plan.concurrency(), plan.promptTokens(), load.sampling());
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        load.progress().note("raw model loaded in " + loadMillis + " ms");

        SideProbe probe = SideProbe.ofServer(base, probeIntervalMillis);
        PairedRunner.Pair pair = new PairedRunner(raw, server, load.progress()).run(plan, probe);
        BenchReport rawResult = BenchReport.of("binding", "raw", null, model.modelPath.toString(), startedAt,
                BenchReport.Settings.of(plan, true, load.sampling(), slots, model.threadCount(),
                        model.maxModelLen), List.of(pair.first()), null,
                BenchReport.ProcessFacts.ofThisJvm(loadMillis),
                null);
        BenchReport serverResult = BenchReport.of("http", load.label(), base.toString(), server.model(), startedAt,
                BenchReport.Settings.of(plan, server.prompt().exact(), load.sampling(), null, null, null),
                List.of(pair.second()), probe.stats(), null, null);
        Files.writeString(rawReport, BenchReport.JSON.writeValueAsString(rawResult));
        Files.writeString(serverReport, BenchReport.JSON.writeValueAsString(serverResult));
        return succeeded(pair.first()) && succeeded(pair.second()) ? 0 : 1;
    }

    private static boolean succeeded(PhaseResult phase) {
        return phase.results().stream().allMatch(result -> result.errorKind() == null);
    }
}
