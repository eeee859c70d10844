package io.inventiv.worker.cli;

import io.inventiv.worker.Main;
import io.inventiv.worker.bench.BenchReport;
import io.inventiv.worker.bench.EngineDriver;
import io.inventiv.worker.bench.LoadOptions;
import io.inventiv.worker.bench.LoadPlan;
import io.inventiv.worker.bench.LoadRunner;
import io.inventiv.worker.bench.NativeFolder;
import io.inventiv.worker.bench.PhaseResult;
import io.inventiv.worker.bench.ProcStatus;
import io.inventiv.worker.bench.RawBindingDriver;
import io.inventiv.worker.bench.StreamDriver;
import io.inventiv.worker.engine.EngineListener;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Reports this JVM's peak RSS. Like every command, it ends with a halt (see {@link Main}):
 * the binding's native thread would keep the JVM alive.
 */
@Command(name = "bench-raw", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the bench load in process, without HTTP: the raw binding baseline (or our engine).")
public final class RawBenchCommand implements Callable<Integer> {
    /** What generates: the bare binding, or our engine (scheduler and accounting, no HTTP). */
    enum Via { binding, engine }

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "PATH", required = true, description = "GGUF model file.")
    private Path modelPath;

    @Option(names = "--n-ctx", defaultValue = "2048",
            description = "Context per slot, as the server's N_CTX (default ${DEFAULT-VALUE}).")
    private int maxModelLen;

    @Option(names = "--n-parallel", defaultValue = "0",
            description = "Slots, as the server's N_PARALLEL; 0 = the concurrency (default).")
    private int parallel;

    @Option(names = "--n-threads", defaultValue = "0", description = "Inference threads; 0 = available cores (default).")
    private int threads;

    @Option(names = "--via", defaultValue = "binding",
            description = "binding (raw de.kherud:llama) or engine (ours, in process) (default ${DEFAULT-VALUE}).")
    private Via via;

    @Mixin
    private LoadOptions load;

    @Override
    public Integer call() throws Exception {
        LoadPlan plan;
        try {
            plan = load.plan();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Files.isReadable(modelPath)) {
            throw new ParameterException(spec.commandLine(), "cannot read model file " + modelPath);
        }
        int slots = parallel > 0 ? parallel : plan.concurrency();
        int threadCount = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Instant startedAt = Instant.now();
        NativeFolder.usePerProcessFolder();
        long loadStart = System.nanoTime();
        // The binding announces its library extraction on stdout, which must stay clean for --json.
        java.io.PrintStream stdout = System.out;
        System.setOut(System.err);
        StreamDriver driver;
        try {
            driver = switch (via) {
                case binding -> RawBindingDriver.load(modelPath, maxModelLen, slots, threadCount,
                        plan.promptTokens(), load.sampling());
                case engine -> engineDriver(slots, threadCount, plan);
            };
        } finally {
            System.setOut(stdout);
        }
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        load.progress().note("model loaded in " + loadMillis + " ms (" + via + ", " + slots + " slots, "
                + threadCount + " threads)");
        List<PhaseResult> phases = new LoadRunner(driver, load.progress()).run(plan, new LoadRunner.PhaseListener() {
        });
        BenchReport report = BenchReport.of(via.name(), load.label(), null, modelPath.toString(), startedAt,
                BenchReport.Settings.of(plan, true, load.sampling(), slots, threadCount, maxModelLen), phases, null,
                new BenchReport.ProcessFacts(loadMillis, null, ProcStatus.peakRssBytes(), BenchReport.ownCpuSeconds()),
                null);
        load.print(report);
        return report.overall().succeeded() == report.overall().requests() ? 0 : 1;
    }

    /** The server's own configuration path (ServeCommand's validation), with our values. */
    private StreamDriver engineDriver(int slots, int threadCount, LoadPlan plan) throws Exception {
        Logging.configure("info"); // as the server runs by default
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--model", modelPath.toString(), "--n-ctx", Integer.toString(maxModelLen),
                "--n-parallel", Integer.toString(slots), "--n-threads", Integer.toString(threadCount),
                "--max-queue", Integer.toString(Math.max(64, plan.concurrency())), "--log-level", "info");
        return new EngineDriver(Main.loadEngine(serve.toConfig(), EngineListener.NONE), plan.promptTokens(),
                load.sampling());
    }
}
