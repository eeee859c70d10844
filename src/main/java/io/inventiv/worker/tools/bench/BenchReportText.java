package io.inventiv.worker.tools.bench;

import java.util.Locale;

/** The human-readable form of a {@link BenchReport}. */
public final class BenchReportText {
    private BenchReportText() {
    }

    public static String format(BenchReport report) {
        StringBuilder out = new StringBuilder();
        BenchReport.Settings s = report.settings();
        out.append(String.format(Locale.ROOT, "bench %s%s: %s%n", report.target(),
                report.label() == null ? "" : " (" + report.label() + ")",
                report.url() != null ? report.url() + " model " + report.model() : report.model()));
        out.append(String.format(Locale.ROOT,
                "load: %d streams, prompt %s%d tokens, %d tokens generated (ignore_eos), %d warm-up, %d x %s%n",
                s.concurrency(), s.promptExact() ? "" : "~", s.promptTokens(), s.maxTokens(), s.warmupRequests(),
                s.repeats(), s.bound()));
        if (s.parallel() != null) {
            out.append(String.format(Locale.ROOT, "model: %d slots, %d threads, context %d per slot%n",
                    s.parallel(), s.threads(), s.maxModelLen()));
        }
        for (int i = 0; i < report.repeats().size(); i++) {
            RunSummary r = report.repeats().get(i);
            out.append(String.format(Locale.ROOT, "  repeat %d: %.2f tok/s aggregate, %s tok/s per stream (p50),"
                    + " TTFT p50 %s ms, %d/%d ok%n", i + 1, r.aggregateTokPerS(),
                    nullable(r.streamDecodeTokPerS().p50()), ms(r.ttftMs().p50()), r.succeeded(), r.requests()));
        }
        RunSummary all = report.overall();
        out.append(String.format(Locale.ROOT, "requests:       %d ok of %d, %.3f req/s, %d completion tokens in %.1f s%n",
                all.succeeded(), all.requests(), all.requestsPerS(), all.completionTokens(), all.wallSeconds()));
        out.append(String.format(Locale.ROOT, "errors:         %s%n", all.errors().isEmpty() ? "none" : all.errors()));
        out.append(line("TTFT ms", all.ttftMs(), true));
        out.append(line("ITL ms", all.itlMs(), false));
        out.append(String.format(Locale.ROOT, "tok/s:          %.2f aggregate; per stream p50 %s (min %s, max %s)%n",
                all.aggregateTokPerS(), nullable(all.streamDecodeTokPerS().p50()),
                nullable(all.streamDecodeTokPerS().min()), nullable(all.streamDecodeTokPerS().max())));
        if (report.probes() != null) {
            for (ProbeStats probe : report.probes()) {
                out.append(String.format(Locale.ROOT, "%-15s p50 %s ms, p99 %s ms, max %s ms (%d samples, %s)%n",
                        probe.path() + ":", ms(probe.latencyMs().p50()), ms(probe.latencyMs().p99()),
                        ms(probe.latencyMs().max()), probe.latencyMs().count(), probe.statuses()));
            }
        }
        if (report.process() != null) {
            BenchReport.ProcessFacts p = report.process();
            out.append(String.format(Locale.ROOT, "process:        model load %s ms, peak RSS %.0f MiB, CPU %s s%n",
                    p.loadMillis() == null ? "-" : p.loadMillis().toString(), p.peakRssBytes() / 1048576.0,
                    nullable(p.cpuSeconds())));
        }
        if (report.clientCpuSeconds() != null) {
            out.append(String.format(Locale.ROOT, "bench client:   %.1f s of CPU%n", report.clientCpuSeconds()));
        }
        return out.toString();
    }

    private static String line(String name, Distribution d, boolean withP99) {
        return String.format(Locale.ROOT, "%-15s p50 %s, p95 %s%s, mean %s, max %s (n=%d)%n", name + ":", ms(d.p50()),
                ms(d.p95()), withP99 ? ", p99 " + ms(d.p99()) : "", ms(d.mean()), ms(d.max()), d.count());
    }

    private static String ms(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String nullable(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
