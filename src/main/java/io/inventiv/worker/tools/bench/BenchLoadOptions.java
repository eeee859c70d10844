package io.inventiv.worker.tools.bench;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The load options shared by {@code bench} (over HTTP) and {@code bench-raw} (in process), so
 * both runs of a comparison are described, and bounded, the same way.
 */
public final class BenchLoadOptions {
    @Option(names = {"-c", "--concurrency"}, defaultValue = "1",
            description = "Streams running at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--prompt-tokens", defaultValue = "96",
            description = "Prompt length in tokens (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--max-tokens", defaultValue = "128",
            description = "Tokens generated per request, with ignore_eos (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--warmup", defaultValue = "1",
            description = "Unmeasured warm-up requests, run at the same concurrency (default ${DEFAULT-VALUE}).")
    int warmupRequests;

    @Option(names = "--warmup-max-tokens", defaultValue = "0",
            description = "Tokens per warm-up request; 0 = same as --max-tokens (default ${DEFAULT-VALUE}).")
    int warmupMaxTokens;

    @Option(names = "--requests", defaultValue = "0",
            description = "Measured requests per repeat; default 4 x concurrency when --duration is not given.")
    int requests;

    @Option(names = "--duration", defaultValue = "0",
            description = "Seconds per repeat during which requests are started (instead of --requests).")
    int durationSeconds;

    @Option(names = "--repeats", defaultValue = "1", description = "Measured repeats (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--temperature", defaultValue = "0",
            description = "Sampling temperature sent with every request (default ${DEFAULT-VALUE}: greedy).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "1",
            description = "top_k sent with every request (default ${DEFAULT-VALUE}); top_p 1 and min_p 0 are always sent.")
    int topK;

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    @Option(names = "--label", description = "Name of the target in reports and tables, e.g. ours or llama-server.")
    String label;

    /** The plan these options describe; IllegalArgumentException names a bad value. */
    public LoadPlan plan() {
        if (requests > 0 && durationSeconds > 0) {
            throw new IllegalArgumentException("give --requests or --duration, not both");
        }
        int measured = requests > 0 || durationSeconds > 0 ? requests : 4 * concurrency;
        return new LoadPlan(concurrency, promptTokens, maxTokens, warmupRequests,
                warmupMaxTokens > 0 ? warmupMaxTokens : maxTokens, measured,
                durationSeconds > 0 ? Duration.ofSeconds(durationSeconds) : null, repeats);
    }

    public BenchSampling sampling() {
        return new BenchSampling(temperature, topK, 1.0, 0.0);
    }

    public boolean json() {
        return json;
    }

    public String label() {
        return label;
    }

    public BenchProgress progress() {
        return new BenchProgress(System.err, !noProgress);
    }

    /** Prints the report as asked: JSON or text, on stdout. */
    public void print(BenchReport report) throws java.io.IOException {
        if (json) {
            System.out.println(BenchReport.JSON.writeValueAsString(report));
        } else {
            System.out.print(BenchReportText.format(report));
        }
        System.out.flush();
    }
}
