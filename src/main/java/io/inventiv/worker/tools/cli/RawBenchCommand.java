package io.inventiv.worker.tools.cli;

import io.inventiv.worker.cli.ServeCommand;
import io.inventiv.worker.logging.Logging;
import io.inventiv.worker.Server;
import io.inventiv.worker.tools.bench.BenchReport;
import io.inventiv.worker.tools.bench.EngineDriver;
import io.inventiv.worker.tools.bench.BenchLoadOptions;
import io.inventiv.worker.tools.bench.LoadPlan;
import io.inventiv.worker.tools.bench.LoadRunner;
import io.inventiv.worker.tools.bench.PhaseResult;
import io.inventiv.worker.tools.bench.StreamDriver;
import io.inventiv.worker.engine.EngineListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench-raw}: the in-process baseline. Loads the model with the server's settings and
 * runs the same load as {@code bench}, through de.kherud:llama directly ({@code --via binding},
 * the baseline of "server ÷ raw") or through our engine without HTTP ({@code --via engine}).
 * Reports this JVM's peak RSS. Like every command, it ends with a halt (see {@link io.inventiv.worker.Main}):
 * the binding's native thread would keep the JVM alive.
 */
@Command(name = "bench-raw", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the bench load in process, without HTTP: the raw binding baseline (or our engine).")
public final class RawBenchCommand implements Callable<Integer> {
    /** What generates: the bare binding, or our engine (scheduler and accounting, no HTTP). */
    enum Via { binding, engine }

    @Spec
    private CommandSpec spec;

    @Mixin
    private InProcessModelOptions model;

    @Option(names = "--via", defaultValue = "binding",
            description = "binding (raw de.kherud:llama) or engine (ours, in process) (default ${DEFAULT-VALUE}).")
    private Via via;

    @Mixin
    private BenchLoadOptions load;

    @Override
    public Integer call() throws Exception {
        LoadPlan plan;
        try {
            plan = load.plan();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (model.problem() != null) {
            throw new ParameterException(spec.commandLine(), model.problem());
        }
        int slots = model.slots(plan.concurrency());
        int threadCount = model.threadCount();
        Instant startedAt = Instant.now();
        long loadStart = System.nanoTime();
        StreamDriver driver = switch (via) {
            case binding -> model.loadRaw(plan.concurrency(), plan.promptTokens(), load.sampling());
            case engine -> engineDriver(slots, threadCount, plan);
        };
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        load.progress().note("model loaded in " + loadMillis + " ms (" + via + ", " + slots + " slots, "
                + threadCount + " threads)");
        List<PhaseResult> phases = new LoadRunner(driver, load.progress()).run(plan, new LoadRunner.PhaseListener() {
        });
        BenchReport report = BenchReport.of(via.name(), load.label(), null, model.modelPath.toString(), startedAt,
                BenchReport.Settings.of(plan, true, load.sampling(), slots, threadCount, model.maxModelLen), phases, null,
                BenchReport.ProcessFacts.ofThisJvm(loadMillis),
                null);
        load.print(report);
        return report.overall().succeeded() == report.overall().requests() ? 0 : 1;
    }

    /** The server's own configuration path (ServeCommand's validation), with our values. */
    private StreamDriver engineDriver(int slots, int threadCount, LoadPlan plan) throws Exception {
        Logging.configure("info"); // as the server runs by default
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--model", model.modelPath.toString(), "--n-ctx",
                Integer.toString(model.maxModelLen),
                "--n-parallel", Integer.toString(slots), "--n-threads", Integer.toString(threadCount),
                "--llama-nice", Integer.toString(model.llamaNice),
                "--max-queue", Integer.toString(Math.max(64, plan.concurrency())), "--log-level", "info");
        return new EngineDriver(InProcessModelOptions.loadQuietly(() -> Server.loadEngine(serve.toConfig(),
                EngineListener.NONE)), plan.promptTokens(), load.sampling());
    }
}
