package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.bench.BenchReport;
import io.inventiv.worker.tools.bench.HttpStreamDriver;
import io.inventiv.worker.tools.bench.BenchLoadOptions;
import io.inventiv.worker.tools.bench.LoadPlan;
import io.inventiv.worker.tools.bench.LoopbackUrl;
import io.inventiv.worker.tools.bench.PairedRunner;
import io.inventiv.worker.tools.bench.PhaseResult;
import io.inventiv.worker.tools.bench.RawBindingDriver;
import io.inventiv.worker.tools.bench.SideProbe;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * and a server over HTTP, on the same prompts (see {@link PairedRunner}); with {@code --other-url},
 * a second server (llama-server) joins the rotation. A side probe times each server's /metrics and
 * /v1/models during that server's waves only. It writes one report per target, as
 * {@code bench-raw} and {@code bench} would, so {@code bench-table} reads them alike. The raw
 * report's peak RSS and CPU are this JVM's, which also holds the HTTP client.
 */
@Command(name = "bench-paired", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Alternate waves of requests between the raw binding (in process) and servers on 127.0.0.1.")
public final class PairedBenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerTargetOptions target;

    @Mixin
    private InProcessModelOptions model;

    @Mixin
    private BenchLoadOptions load;

    @Option(names = "--raw-report", required = true, paramLabel = "FILE", description = "Where the raw report goes (JSON).")
    private Path rawReport;

    @Option(names = "--server-report", required = true, paramLabel = "FILE",
            description = "Where the server's report goes (JSON).")
    private Path serverReport;

    @Option(names = "--other-url", paramLabel = "URL",
            description = "A second server (e.g. llama-server) measured in the same rotation; loopback only.")
    private String otherUrl;

    @Option(names = "--other-label", defaultValue = "llama-server",
            description = "The second server's name in its report (default ${DEFAULT-VALUE}).")
    private String otherLabel;

    @Option(names = "--other-report", paramLabel = "FILE", description = "Where the second server's report goes (JSON).")
    private Path otherReport;

    @Option(names = "--probe-interval-ms", defaultValue = "0",
            description = "How often /metrics and /v1/models are timed during the server's waves; 0 = never "
                    + "(default ${DEFAULT-VALUE}).")
    private long probeIntervalMillis;

    @Option(names = "--other-probe-interval-ms", defaultValue = "-1", paramLabel = "MS",
            description = "The second server's probe interval, when it differs (an A/B of the probes' cost, "
                    + "scripts/ab.sh); -1 = as --probe-interval-ms (default ${DEFAULT-VALUE}).")
    private long otherProbeIntervalMillis;

    @Option(names = "--turn-order", defaultValue = "0", paramLabel = "K",
            description = "Which order the targets take their turns in: K mod n places later (n targets: raw, "
                    + "the server, the second server), in reverse for K = n to 2n - 1, and so on; the bench "
                    + "script gives round r order r - 1 (default ${DEFAULT-VALUE}).")
    private int turnOrder;

    @Override
    public Integer call() throws Exception {
        URI base;
        URI otherBase;
        LoadPlan plan;
        try {
            base = target.base();
            otherBase = otherUrl == null ? null : LoopbackUrl.require(otherUrl);
            plan = load.plan();
            PairedRunner.requireWholeWaves(plan);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if ((otherBase == null) != (otherReport == null)) {
            throw new ParameterException(spec.commandLine(), "--other-url and --other-report go together");
        }
        if (model.problem() != null) {
            throw new ParameterException(spec.commandLine(), model.problem());
        }
        Instant startedAt = Instant.now();
        List<Server> servers = new ArrayList<>();
        servers.add(connect(load.label(), base, serverReport, plan, probeIntervalMillis));
        if (otherBase != null) {
            servers.add(connect(otherLabel, otherBase, otherReport, plan,
                    otherProbeIntervalMillis < 0 ? probeIntervalMillis : otherProbeIntervalMillis));
        }
        for (Server server : servers) {
            if (server.driver() == null) {
                System.err.println("error: nothing answers at " + server.base());
                return 1;
            }
        }
        long loadStart = System.nanoTime();
        int slots = model.slots(plan.concurrency());
        RawBindingDriver raw = model.loadRaw(plan.concurrency(), plan.promptTokens(), load.sampling());
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        load.progress().note("raw model loaded in " + loadMillis + " ms");

        List<PairedRunner.Target> targets = new ArrayList<>();
        targets.add(new PairedRunner.Target(raw, null));
        for (Server server : servers) {
            targets.add(new PairedRunner.Target(server.driver(), server.probe()));
        }
        List<PhaseResult> phases = new PairedRunner(targets, load.progress(), turnOrder).run(plan);
        BenchReport rawResult = BenchReport.of("binding", "raw", null, model.modelPath.toString(), startedAt,
                BenchReport.Settings.of(plan, true, load.sampling(), slots, model.threadCount(),
                        model.maxModelLen), List.of(phases.get(0)), null,
                BenchReport.ProcessFacts.ofThisJvm(loadMillis),
                null);
        Files.writeString(rawReport, BenchReport.JSON.writeValueAsString(rawResult));
        for (int i = 0; i < servers.size(); i++) {
            Server server = servers.get(i);
            BenchReport report = BenchReport.of("http", server.label(), server.base().toString(),
                    server.driver().model(), startedAt, BenchReport.Settings.of(plan, server.driver().prompt().exact(),
                            load.sampling(), null, null, null), List.of(phases.get(i + 1)), server.probe().stats(),
                    null, null);
            Files.writeString(server.report(), BenchReport.JSON.writeValueAsString(report));
        }
        return phases.stream().allMatch(PairedBenchCommand::succeeded) ? 0 : 1;
    }

    /**
     * A server in the rotation: where it is, where its report goes, its driver (null when nothing
     * answers) and its side probe.
     */
    private record Server(String label, URI base, Path report, HttpStreamDriver driver, SideProbe probe) {
    }

    private Server connect(String label, URI serverBase, Path report, LoadPlan plan, long probeEveryMillis) {
        HttpStreamDriver driver = HttpStreamDriver.connect(serverBase, null, plan.promptTokens(), load.sampling(),
                target.requestTimeout(), load.progress());
        return new Server(label, serverBase, report, driver, SideProbe.ofServer(serverBase, probeEveryMillis));
    }

    private static boolean succeeded(PhaseResult phase) {
        return phase.results().stream().allMatch(result -> result.errorKind() == null);
    }
}
