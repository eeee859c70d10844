package io.inventiv.worker.tools.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples the server's RSS (from /proc) and its metrics, and writes them to a CSV file. */
final class SoakSampler {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$",
            Pattern.MULTILINE);

    private final URI base;
    private final long pid;
    private final Path csv;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final long startMillis = System.currentTimeMillis();
    private final List<long[]> rss = new ArrayList<>(); // {elapsed ms, rss kB}
    private final MemoryTrace memory;

    SoakSampler(URI base, long pid, Path csv, MemoryTrace memory) throws IOException {
        this.base = base;
        this.pid = pid;
        this.csv = csv;
        this.memory = memory;
        Files.writeString(csv, "elapsed_s,rss_mb,running,waiting,client_requests,aborts\n");
    }

    /** Every series of /metrics by its full name with labels. */
    Map<String, Double> scrape() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> values = new HashMap<>();
        Matcher matcher = SAMPLE.matcher(text);
        while (matcher.find()) {
            values.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return values;
    }

    void sample(SoakTally tally) {
        try {
            long rssKb = residentKilobytes();
            long elapsed = System.currentTimeMillis() - startMillis;
            rss.add(new long[] {elapsed, rssKb});
            memory.maybeSample(elapsed);
            Map<String, Double> metrics = scrape();
            Files.writeString(csv, String.format(java.util.Locale.ROOT, "%.1f,%.1f,%.0f,%.0f,%d,%.0f%n",
                    elapsed / 1000.0, rssKb / 1024.0, gauge(metrics, "vllm:num_requests_running"),
                    gauge(metrics, "vllm:num_requests_waiting"), tally.requests(),
                    SoakReport.byReason(metrics, "abort")), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until nothing runs or waits, then returns that scrape. */
    Map<String, Double> awaitIdle() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Map<String, Double> metrics = scrape();
            if (gauge(metrics, "vllm:num_requests_running") == 0 && gauge(metrics, "vllm:num_requests_waiting") == 0) {
                return metrics;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the server did not become idle after the load");
            }
            Thread.sleep(50);
        }
    }

    /** The last breakdown, when the load is over. */
    void sampleMemory() throws IOException, InterruptedException {
        memory.sample(System.currentTimeMillis() - startMillis);
        memory.writeNativeMemoryDiff();
    }

    List<long[]> rssSamples() {
        return rss;
    }

    static double gauge(Map<String, Double> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).findFirst().orElse(Double.NaN);
    }

    private long residentKilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
