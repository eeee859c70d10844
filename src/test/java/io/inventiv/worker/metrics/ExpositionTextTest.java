package io.inventiv.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.engine.FinishReason;
import io.inventiv.worker.engine.GenerationResult;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Our renderer writes exactly what the library's text writer writes, or hands over to it. */
class ExpositionTextTest {
    private static final PrometheusTextFormatWriter LIBRARY = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false).build();

    @Test
    void theServersRegistryRendersByteForByteAsTheLibraryWritesIt() throws IOException {
        // A model name that needs every escape, and a non-ASCII one, as a served name may.
        VllmMetrics metrics = new VllmMetrics("odd \"model\" \\ name\nné", 4096, 2);
        assertLibraryBytes(metrics.scrape(), "before any request");

        for (int i = 0; i < 40; i++) {
            metrics.onNextToken(null, 3_000_000L * i);
            metrics.recordHttp("/v1/chat/completions", "POST", i % 7 == 0 ? 429 : 200);
        }
        long ms = 1_000_000;
        metrics.onFinished(null, new GenerationResult(96, 128, FinishReason.LENGTH, null, 128, 0, 5 * ms, 700 * ms,
                3_300 * ms));
        metrics.onFinished(null, new GenerationResult(7, 1, FinishReason.STOP, "\n", 16, 0, 0, 0, 2 * ms));
        metrics.onFinished(null, new GenerationResult(3000, 0, FinishReason.ABORT, null, 4096, 0, 0, 0, 9_999_000 * ms));
        MetricSnapshots loaded = metrics.scrape();
        assertLibraryBytes(loaded, "after requests");
        String text = new String(ExpositionText.render(loaded), StandardCharsets.UTF_8);
        assertTrue(text.contains("vllm:request_success_total{engine=\"0\",finished_reason=\"length\",model_name=\"odd \\\"model\\\" \\\\ name\\nné\"} 1.0\n"), text);
        assertTrue(text.contains("le=\"+Inf\""), text);
    }

    @Test
    void kindsItDoesNotWriteAreLeftToTheLibrary() {
        PrometheusRegistry withInfo = new PrometheusRegistry();
        Info.builder().name("build_info").labelNames("version").register(withInfo).addLabelValues("1");
        assertNull(ExpositionText.render(withInfo.scrape()));

        PrometheusRegistry withSummary = new PrometheusRegistry();
        Summary.builder().name("latency_seconds").register(withSummary).observe(0.5);
        assertNull(ExpositionText.render(withSummary.scrape()));
    }

    private static void assertLibraryBytes(MetricSnapshots snapshots, String when) throws IOException {
        ByteArrayOutputStream library = new ByteArrayOutputStream();
        LIBRARY.write(library, snapshots);
        byte[] ours = ExpositionText.render(snapshots);
        assertArrayEquals(library.toByteArray(), ours, () -> when + ":\n--- library\n" + library.toString(StandardCharsets.UTF_8)
                + "\n--- ours\n" + (ours == null ? "null" : new String(ours, StandardCharsets.UTF_8)));
    }
}
