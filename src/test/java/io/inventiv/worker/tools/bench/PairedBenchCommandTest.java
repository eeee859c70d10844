package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.TestModels;
import io.inventiv.worker.tools.cli.PairedBenchCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole {@code bench-paired} command, as {@code make bench} runs it: the raw binding loaded in
 * this JVM (our tiny qwen fixture, through the real binding) and two fake servers in one
 * rotation, each with its own report and its own probe interval.
 */
class PairedBenchCommandTest {
    @TempDir
    Path folder;

    /** Every report's measured requests, labelled and ordered by when they were sent (one clock). */
    private static List<String> sendOrder(BenchReport... reports) {
        record Sent(String label, double ms) {
        }
        List<Sent> sent = new ArrayList<>();
        for (BenchReport report : reports) {
            report.overall().perRequest().forEach(request -> sent.add(new Sent(report.label(), request.sentMs())));
        }
        return sent.stream().sorted(Comparator.comparingDouble(Sent::ms)).map(Sent::label).toList();
    }

    private static void pace(long firstTokenMillis, long tokenGapMillis, FakeOpenAiServer... servers) {
        for (FakeOpenAiServer server : servers) {
            server.firstTokenDelayMillis = firstTokenMillis;
            server.tokenGapMillis = tokenGapMillis;
        }
    }

    private BenchReport read(String name) throws IOException {
        return BenchReport.JSON.readValue(Files.readString(folder.resolve(name)), BenchReport.class);
    }

    private int run(FakeOpenAiServer ours, FakeOpenAiServer other, int turnOrder) {
        List<String> args = new ArrayList<>(List.of("--url", ours.base().toString(), "--label", "ours",
                "--other-url", other.base().toString(), "--other-label", "other",
                "--model", TestModels.tinyQwen().toString(), "--n-threads", "2", "--n-ctx", "256",
                "-c", "1", "--prompt-tokens", "8", "--max-tokens", "4", "--warmup", "2", "--warmup-max-tokens", "2",
                "--requests", "4", "--repeats", "1", "--json", "--no-progress",
                "--probe-interval-ms", "20", "--other-probe-interval-ms", "0",
                "--raw-report", folder.resolve("raw.json").toString(),
                "--server-report", folder.resolve("ours.json").toString(),
                "--other-report", folder.resolve("other.json").toString(),
                "--turn-order", String.valueOf(turnOrder)));
        return new CommandLine(new PairedBenchCommand()).execute(args.toArray(String[]::new));
    }

    @Test
    void rawAndTwoServersTakeTurnsAndEachGetsItsOwnReport() throws Exception {
        try (FakeOpenAiServer ours = new FakeOpenAiServer(); FakeOpenAiServer other = new FakeOpenAiServer()) {
            pace(40, 20, ours, other);
            assertEquals(0, run(ours, other, 0));
            BenchReport raw = read("raw.json");
            BenchReport oursReport = read("ours.json");
            BenchReport otherReport = read("other.json");

            assertEquals("binding", raw.target());
            assertEquals("raw", raw.label());
            assertTrue(raw.process().loadMillis() >= 0, "the raw load is timed");
            assertNull(raw.probes(), "nothing to probe in process");
            // With ignore_eos, the binding's outputs give exactly max_tokens tokens per request.
            assertEquals(4, raw.overall().succeeded());
            assertEquals(16, raw.overall().completionTokens());
            assertEquals(8.0, raw.overall().promptTokensMedian(), "the prompt goes as exactly 8 token ids");
            assertEquals(4 * 3, raw.overall().itlMs().count());

            assertEquals("http", oursReport.target());
            assertEquals("ours", oursReport.label());
            assertEquals("other", otherReport.label());
            assertEquals(ours.base().toString(), oursReport.url());
            for (BenchReport server : List.of(oursReport, otherReport)) {
                assertEquals(4, server.overall().succeeded());
                assertEquals(16, server.overall().completionTokens());
                assertEquals(Map.of(), server.overall().errors());
            }
            assertEquals(2 + 4, ours.completionBodies.size(), "2 warm-up + 4 measured");
            assertEquals(2 + 4, other.completionBodies.size());
            assertTrue(oursReport.probes().get(0).latencyMs().count() > 0, "probed every 20 ms in its waves");
            assertNull(otherReport.probes(), "--other-probe-interval-ms 0: never probed");
            assertEquals(0, other.metricsHits.get());

            // Two waves per target in turn (one request per wave with -c 1), on one clock.
            assertEquals(List.of("raw", "raw", "ours", "ours", "other", "other", "raw", "raw", "ours", "ours",
                    "other", "other"), sendOrder(raw, oursReport, otherReport));
        }
    }

    @Test
    void turnOrderFourRunsTheTargetsInReverseFromTheSecond() throws Exception {
        try (FakeOpenAiServer ours = new FakeOpenAiServer(); FakeOpenAiServer other = new FakeOpenAiServer()) {
            pace(1, 1, ours, other);
            assertEquals(0, run(ours, other, 4));
            assertEquals(List.of("ours", "ours", "raw", "raw", "other", "other", "ours", "ours", "raw", "raw",
                    "other", "other"), sendOrder(read("raw.json"), read("ours.json"), read("other.json")));
        }
    }

    @Test
    void aServerThatFailsMakesTheExitCodeOne() throws Exception {
        try (FakeOpenAiServer ours = new FakeOpenAiServer(); FakeOpenAiServer other = new FakeOpenAiServer()) {
            pace(1, 1, ours, other);
            other.fail503Every = 3;
            assertEquals(1, run(ours, other, 0));
            assertEquals(Map.of("503", 2), read("other.json").overall().errors(), "requests 3 and 6 of 6");
            assertEquals(4, read("ours.json").overall().succeeded());
        }
    }
}
