package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.bench.BenchReport;
import io.inventiv.worker.tools.bench.HttpStreamDriver;
import io.inventiv.worker.tools.bench.BenchLoadOptions;
import io.inventiv.worker.tools.bench.LoadPlan;
import io.inventiv.worker.tools.bench.LoadRunner;
import io.inventiv.worker.tools.bench.PhaseResult;
import io.inventiv.worker.tools.bench.BenchProgress;
import io.inventiv.worker.tools.bench.SideProbe;
import java.net.URI;
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
 * {@code bench}: a bounded load on any OpenAI-compatible server on this machine (ours, vLLM,
 * llama-server), streaming every request to time the first token and every token after it,
 * while a side thread times /metrics and /v1/models. Loopback only: it is a load generator.
 * Exit code 0 when every request succeeded, 1 when some failed (the report still prints).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark an OpenAI-compatible server on 127.0.0.1 with streamed /v1/completions requests.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerTargetOptions target;

    @Option(names = "--model", description = "Model name to send; default: the first one /v1/models lists.")
    private String model;

    @Mixin
    private BenchLoadOptions load;

    @Option(names = "--probe-interval-ms", defaultValue = "200",
            description = "How often /metrics and /v1/models are timed during the load; 0 = never "
                    + "(default ${DEFAULT-VALUE}).")
    private long probeIntervalMillis;

    @Override
    public Integer call() throws Exception {
        URI base;
        LoadPlan plan;
        try {
            base = target.base();
            plan = load.plan();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Instant startedAt = Instant.now();
        BenchProgress progress = load.progress();
        HttpStreamDriver driver = HttpStreamDriver.connect(base, model, plan.promptTokens(), load.sampling(),
                target.requestTimeout(), progress);
        if (driver == null) {
            System.err.println("error: nothing answers at " + base);
            return 1;
        }
        SideProbe probe = SideProbe.ofServer(base, probeIntervalMillis);
        List<PhaseResult> phases = new LoadRunner(driver, progress).run(plan, probe);
        BenchReport report = BenchReport.of("http", load.label(), base.toString(), driver.model(), startedAt,
                BenchReport.Settings.of(plan, driver.prompt().exact(), load.sampling(), null, null, null), phases,
                probe.stats(), null, BenchReport.ownCpuSeconds());
        load.print(report);
        return report.overall().succeeded() == report.overall().requests() ? 0 : 1;
    }
}
