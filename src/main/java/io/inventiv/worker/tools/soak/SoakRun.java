package io.inventiv.worker.tools.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inventiv.worker.Main;
import io.inventiv.worker.tools.soak.SoakClient.SoakPrompt;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A bounded soak: starts the real server as a child process on loopback, loads it for a fixed
 * time with mixed requests and random disconnects, samples its RSS and metrics, then checks that
 * nothing failed, memory did not drift and every counter agrees with the clients' own tally.
 */
public final class SoakRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROMPTS = List.of("Once upon a time",
            "The quick brown fox jumps over the lazy dog. ".repeat(4),
            "Write a short poem about the sea, the wind and a lighthouse keeper who never sleeps.",
            "hello", "In 1969 the first people walked on the moon; describe what they saw. ".repeat(8));

    private final Path model;
    private final long durationMillis;
    private final int concurrency;
    private final Path outputFolder;
    private final List<String> jvmOptions;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** {@code jvmOptions}: the server's JVM flags, as {@code make run} gives them (scripts/jvm-options). */
    public SoakRun(Path model, long durationSeconds, int concurrency, Path outputFolder, List<String> jvmOptions) {
        this.model = model;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.durationMillis = durationSeconds * 1000;
        this.concurrency = concurrency;
        this.outputFolder = outputFolder;
    }

    /** Runs the soak; returns true when every check passed. */
    public boolean run() throws Exception {
        Files.createDirectories(outputFolder);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process server = startServer(port);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(base, server);
            String engine = engineOf(base);
            List<SoakPrompt> prompts = measurePrompts(base);
            MemoryTrace memory = new MemoryTrace(server.pid(), MemoryTrace.jcmdBesideThisJava(), outputFolder,
                    SoakReport.warmUpEndsMillis(durationMillis));
            SoakSampler sampler = new SoakSampler(base, server.pid(), outputFolder.resolve("soak.csv"), memory);
            Map<String, Double> before = sampler.scrape();
            SoakTally tally = load(base, prompts, sampler);
            Map<String, Double> after = sampler.awaitIdle();
            sampler.sampleMemory();
            SoakReport report = new SoakReport(tally, before, after, sampler.rssSamples(), durationMillis,
                    memory.change());
            server.destroy(); // SIGTERM: the server drains and exits with 0
            boolean exitedCleanly = server.waitFor(60, TimeUnit.SECONDS) && server.exitValue() == 0;
            String summary = report.summary(exitedCleanly, model, engine);
            Files.writeString(outputFolder.resolve("summary.md"), summary);
            System.out.println(summary);
            return report.passed() && exitedCleanly;
        } finally {
            server.destroyForcibly();
        }
    }

    private Process startServer(int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        // Then a fixed, pre-touched heap (the later flag wins): RSS moves only if memory really leaks.
        command.addAll(List.of("-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch"));
        // The JVM's own memory by category, for the report's breakdown (MemoryTrace).
        command.add("-XX:NativeMemoryTracking=summary");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(outputFolder.resolve("server.log").toFile());
        builder.environment().putAll(Map.of("MODEL_PATH", model.toAbsolutePath().toString(),
                "PORT", Integer.toString(port), "HOST", "127.0.0.1", "N_PARALLEL", "4", "N_CTX", "1024",
                "MAX_QUEUE", "64", "N_THREADS", "2", "LOG_LEVEL", "warn"));
        return builder.start();
    }

    private SoakTally load(URI base, List<SoakPrompt> prompts, SoakSampler sampler) throws InterruptedException {
        SoakTally tally = new SoakTally();
        long deadline = System.currentTimeMillis() + durationMillis;
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            SplittableRandom random = new SplittableRandom(1000 + i);
            SoakClient client = new SoakClient(base);
            clients.submit(() -> {
                while (System.currentTimeMillis() < deadline) {
                    tally.add(client.send(prompts.get(random.nextInt(prompts.size())), random));
                }
            });
        }
        clients.shutdown();
        while (!clients.awaitTermination(5, TimeUnit.SECONDS)) {
            sampler.sample(tally);
        }
        sampler.sample(tally);
        return tally;
    }

    private List<SoakPrompt> measurePrompts(URI base) throws Exception {
        List<SoakPrompt> measured = new ArrayList<>();
        for (String prompt : PROMPTS) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/tokenize"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":" + JSON.valueToTree(prompt) + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            measured.add(new SoakPrompt(prompt, JSON.readTree(response.body()).get("count").asInt()));
        }
        return measured;
    }

    /** The engine the server says it runs (/version), for the report. */
    private String engineOf(URI base) throws Exception {
        String body = http.send(HttpRequest.newBuilder(base.resolve("/version")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("engine").asText("unknown");
    }

    private void awaitHealthy(URI base, Process server) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!server.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the server did not become healthy; see "
                        + outputFolder.resolve("server.log"));
            }
            Thread.sleep(50);
        }
    }
}
