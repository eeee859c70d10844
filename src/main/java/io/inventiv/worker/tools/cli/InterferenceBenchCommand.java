package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.bench.BenchProgress;
import io.inventiv.worker.tools.bench.BenchSampling;
import io.inventiv.worker.tools.bench.Distribution;
import io.inventiv.worker.tools.bench.HttpStreamDriver;
import io.inventiv.worker.tools.bench.InterferenceRun;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-interference}: how much a long prompt arriving at a server stretches the
 * inter-token gaps of streams that are already decoding there. Alternates runs without and with
 * the prompt, and prints the streams' gap p50/p99 for each and the ratio of their p99s.
 */
@Command(name = "bench-interference", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Inter-token gaps of running streams while a long prompt arrives, against the same streams without it.")
public final class InterferenceBenchCommand implements Callable<Integer> {
    @Mixin
    private ServerTargetOptions target;

    @Option(names = "--label", defaultValue = "server", description = "Name of the target in the output.")
    private String label;

    @Option(names = "--streams", defaultValue = "3", description = "Streams decoding (default ${DEFAULT-VALUE}).")
    private int streams;

    @Option(names = "--stream-tokens", defaultValue = "1200",
            description = "Tokens per stream; must outlast the long prompt (default ${DEFAULT-VALUE}).")
    private int streamTokens;

    @Option(names = "--prompt-tokens", defaultValue = "2000", description = "The long prompt (default ${DEFAULT-VALUE}).")
    private int promptTokens;

    @Option(names = "--rounds", defaultValue = "2", description = "Pairs of runs, without then with (default ${DEFAULT-VALUE}).")
    private int rounds;

    @Override
    public Integer call() throws Exception {
        URI base = target.base();
        BenchProgress quiet = new BenchProgress(System.err, false);
        HttpStreamDriver streamDriver = HttpStreamDriver.connect(base, null, 32, BenchSampling.GREEDY,
                target.requestTimeout(), quiet);
        HttpStreamDriver longPrompt = HttpStreamDriver.connect(base, null, promptTokens, BenchSampling.GREEDY,
                target.requestTimeout(), quiet);
        if (streamDriver == null || longPrompt == null) {
            System.err.println("error: nothing answers at " + base);
            return 1;
        }
        java.util.List<Double> without = new java.util.ArrayList<>();
        java.util.List<Double> with = new java.util.ArrayList<>();
        int failures = 0;
        for (int round = 0; round < rounds; round++) {
            InterferenceRun.Outcome alone = InterferenceRun.run(streamDriver, streams, streamTokens, null, 2 * round);
            InterferenceRun.Outcome beside = InterferenceRun.run(streamDriver, streams, streamTokens, longPrompt,
                    2 * round + 1);
            failures += alone.failures() + beside.failures();
            for (double gap : alone.gapsMillis()) {
                without.add(gap);
            }
            for (double gap : beside.gapsMillis()) {
                with.add(gap);
            }
            System.out.printf(Locale.ROOT, "%s round %d: without p99 %.1f ms; with a %d-token prompt (%.0f ms%s) p99 %.1f ms%n",
                    label, round + 1, p(alone.gaps().p99()), promptTokens, beside.promptMillis(),
                    beside.streamsOutlivedPrompt() ? "" : ", streams ended first", p(beside.gaps().p99()));
        }
        Distribution alone = Distribution.of(without);
        Distribution beside = Distribution.of(with);
        System.out.printf(Locale.ROOT, "%s: inter-token gap without p50 %.1f p99 %.1f ms (%d gaps); with p50 %.1f p99 %.1f ms "
                + "(%d gaps); p99 ratio %.2f%n", label, p(alone.p50()), p(alone.p99()), alone.count(), p(beside.p50()),
                p(beside.p99()), beside.count(), p(beside.p99()) / p(alone.p99()));
        return failures == 0 ? 0 : 1;
    }

    private static double p(Double value) {
        return value == null ? Double.NaN : value;
    }
}
