package io.inventiv.worker.cli;

import io.inventiv.worker.bench.BenchPrompt;
import io.inventiv.worker.bench.BenchReport;
import io.inventiv.worker.bench.HttpStreamDriver;
import io.inventiv.worker.bench.LoopbackHttp;
import io.inventiv.worker.bench.LoadOptions;
import io.inventiv.worker.bench.LoadPlan;
import io.inventiv.worker.bench.LoadRunner;
import io.inventiv.worker.bench.LoopbackUrl;
import io.inventiv.worker.bench.PhaseResult;
import io.inventiv.worker.bench.Progress;
import io.inventiv.worker.bench.SideProbe;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
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

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8000",
            description = "Server base URL; must resolve to a loopback address (default ${DEFAULT-VALUE}).")
    private String url;

    @Option(names = "--model", description = "Model name to send; default: the first one /v1/models lists.")
    private String model;

    @Mixin
    private LoadOptions load;

    @Option(names = "--probe-interval-ms", defaultValue = "200",
            description = "How often /metrics and /v1/models are timed during the load; 0 = never "
                    + "(default ${DEFAULT-VALUE}).")
    private long probeIntervalMillis;

    @Option(names = "--request-timeout-s", defaultValue = "300",
            description = "A request still running after this is ended and counted as an error (default ${DEFAULT-VALUE}).")
    private int requestTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        URI base;
        LoadPlan plan;
        try {
            base = LoopbackUrl.require(url);
            plan = load.plan();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Instant startedAt = Instant.now();
        LoopbackHttp client = HttpStreamDriver.newClient(base);
        if (!reachable(client)) {
            System.err.println("error: nothing answers at " + base);
            return 1;
        }
        String modelName = model != null ? model : HttpStreamDriver.discoverModel(client);
        if (modelName == null) {
            modelName = "default";
        }
        Progress progress = load.progress();
        BenchPrompt prompt = HttpStreamDriver.preparePrompt(client, modelName, plan.promptTokens());
        progress.note(prompt.exact() ? "prompt: " + prompt.length() + " token ids from the server's /tokenize"
                : "prompt: ~" + prompt.length() + " words of text (the server has no usable /tokenize)");
        HttpStreamDriver driver = new HttpStreamDriver(client, modelName, prompt, load.sampling(),
                Duration.ofSeconds(requestTimeoutSeconds));
        SideProbe probe = probeIntervalMillis > 0
                ? new SideProbe(base, List.of("/metrics", "/v1/models"), probeIntervalMillis) : null;
        List<PhaseResult> phases = new LoadRunner(driver, progress).run(plan,
                probe != null ? probe : new LoadRunner.PhaseListener() {
                });
        BenchReport report = BenchReport.of("http", load.label(), base.toString(), modelName, startedAt,
                BenchReport.Settings.of(plan, prompt.exact(), load.sampling(), null, null, null), phases,
                probe == null ? null : probe.stats(), null, BenchReport.ownCpuSeconds());
        load.print(report);
        return report.overall().succeeded() == report.overall().requests() ? 0 : 1;
    }

    /** Any HTTP answer will do: llama-server, vLLM and ours differ in what they answer here. */
    private static boolean reachable(LoopbackHttp client) {
        try (LoopbackHttp.Response response = client.get("/v1/models", Duration.ofSeconds(10))) {
            response.text();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
