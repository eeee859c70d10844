package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.tools.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The whole bench command against the fake server: load, side probe, report. */
class BenchCommandTest {
    private static BenchReport runJson(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new BenchCommand()).execute(args);
        } finally {
            System.setOut(original);
        }
        BenchReport report = BenchReport.JSON.readValue(captured.toString(StandardCharsets.UTF_8), BenchReport.class);
        assertEquals(report.overall().succeeded() == report.overall().requests() ? 0 : 1, exit);
        return report;
    }

    @Test
    void jsonReportHasEveryFigureAndTheSideProbe() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.firstTokenDelayMillis = 30;
            server.tokenGapMillis = 10;
            BenchReport report = runJson("--url", server.base().toString(), "-c", "2", "--requests", "4",
                    "--warmup", "2", "--warmup-max-tokens", "2", "--max-tokens", "20", "--prompt-tokens", "16",
                    "--probe-interval-ms", "50", "--json", "--no-progress", "--label", "fake");
            assertEquals("http", report.target());
            assertEquals("fake", report.label());
            assertEquals("fake-model", report.model());
            assertTrue(report.settings().promptExact());
            RunSummary all = report.overall();
            assertEquals(4, all.requests());
            assertEquals(4, all.succeeded());
            assertEquals(80, all.completionTokens());
            assertEquals(16.0, all.promptTokensMedian());
            assertEquals(4, all.ttftMs().count());
            assertEquals(4 * 19, all.itlMs().count());
            assertTrue(all.aggregateTokPerS() > 0);
            assertTrue(all.streamDecodeTokPerS().p50() > 20, "10 ms gaps: well over 20 tok/s");
            assertEquals(6, server.completionBodies.size(), "2 warm-up + 4 measured");
            assertEquals(2, report.probes().size());
            assertTrue(report.probes().get(0).latencyMs().count() > 0, "probed during the load");
            assertEquals(Map.of(), all.errors());
            assertEquals(4, all.perRequest().size(), "one line per measured request");
            for (int i = 0; i < 4; i++) {
                RunSummary.Request request = all.perRequest().get(i);
                assertEquals(20, request.completionTokens());
                assertNull(request.error());
                assertTrue(request.ttftMs() >= 30, "the fake server waits 30 ms before the first token");
                assertTrue(i == 0 || request.sentMs() >= all.perRequest().get(i - 1).sentMs(), "in the order sent");
            }
        }
    }

    @Test
    void failuresAreReportedByStatusAndExitCodeIsOne() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.firstTokenDelayMillis = 1;
            server.tokenGapMillis = 1;
            server.fail503Every = 2;
            BenchReport report = runJson("--url", server.base().toString(), "--requests", "4", "--warmup", "0",
                    "--max-tokens", "3", "--probe-interval-ms", "0", "--json", "--no-progress");
            assertEquals(Map.of("503", 2), report.overall().errors());
            assertEquals(2, report.overall().succeeded());
            assertEquals(2, report.overall().perRequest().stream().filter(r -> "503".equals(r.error())).count());
            assertTrue(report.overall().perRequest().stream().filter(r -> r.error() != null)
                    .allMatch(r -> r.ttftMs() == null), "a failed request has no TTFT");
        }
    }

    @Test
    void durationBoundsTheRunWhenNoRequestCountIsGiven() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.firstTokenDelayMillis = 5;
            server.tokenGapMillis = 5;
            long start = System.nanoTime();
            BenchReport report = runJson("--url", server.base().toString(), "--duration", "1", "--warmup", "0",
                    "--max-tokens", "4", "--repeats", "2", "--json", "--no-progress");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 5, "took " + seconds + " s");
            assertEquals(2, report.repeats().size());
            assertTrue(report.overall().requests() >= 2);
        }
    }

    @Test
    void textReportIsReadable() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.firstTokenDelayMillis = 1;
            server.tokenGapMillis = 1;
            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                new CommandLine(new BenchCommand()).execute("--url", server.base().toString(), "--requests", "2",
                        "--warmup", "0", "--max-tokens", "3", "--no-progress");
            } finally {
                System.setOut(original);
            }
            String text = captured.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("TTFT ms:"), text);
            assertTrue(text.contains("/metrics:"), text);
            assertTrue(text.contains("errors:         none"), text);
        }
    }
}
