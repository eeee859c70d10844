package io.inventiv.worker.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus text format 0.0.4 of our meters, built in one {@code StringBuilder}: the same
 * bytes as the library's {@code PrometheusTextFormatWriter} without created timestamps (a test
 * compares the two on the server's real registry).
 *
 * <p>Why not the library's writer: its per-scrape {@code BufferedWriter} is slow on a virtual
 * thread, and moving the render to a platform thread costs hand-offs that each wait for a core
 * llama.cpp keeps busy; this renderer is cheap on the request's own thread
 * (docs/DECISIONS.md, "Our own exposition writer").
 *
 * <p>It covers what our registry holds: counters, gauges and classic histograms, with names and
 * label names that need no escaping, and no scrape timestamps. For anything else {@link #render}
 * returns null and the caller uses the library's writer.
 */
final class ExpositionText {
    /** The size of our exposition, about 33 KB, with room to grow before the builder copies. */
    private static final int INITIAL_CAPACITY = 48 * 1024;

    private ExpositionText() {
    }

    /** The exposition as UTF-8, or null when a snapshot is of a kind this renderer leaves alone. */
    static byte[] render(MetricSnapshots snapshots) {
        StringBuilder out = new StringBuilder(INITIAL_CAPACITY);
        for (MetricSnapshot snapshot : snapshots) {
            if (!supported(snapshot)) {
                return null;
            }
            if (snapshot.getDataPoints().isEmpty()) {
                continue;
            }
            switch (snapshot) {
                case CounterSnapshot counter -> values(out, counter.getMetadata().getPrometheusName() + "_total",
                        "counter", counter.getMetadata(), counter.getDataPoints(), CounterDataPointSnapshot::getValue);
                case GaugeSnapshot gauge -> values(out, gauge.getMetadata().getPrometheusName(), "gauge",
                        gauge.getMetadata(), gauge.getDataPoints(), GaugeDataPointSnapshot::getValue);
                case HistogramSnapshot histogram -> histogram(out, histogram);
                default -> {
                    return null;
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean supported(MetricSnapshot snapshot) {
        boolean kind = snapshot instanceof CounterSnapshot || snapshot instanceof GaugeSnapshot
                || snapshot instanceof HistogramSnapshot histogram && !histogram.isGaugeHistogram();
        if (!kind || !PrometheusNaming.isValidLegacyMetricName(snapshot.getMetadata().getPrometheusName())) {
            return false;
        }
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
            if (point.hasScrapeTimestamp()) {
                return false;
            }
            Labels labels = point.getLabels();
            for (int i = 0; i < labels.size(); i++) {
                if (!PrometheusNaming.isValidLegacyLabelName(labels.getPrometheusName(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A counter or a gauge: one value per data point. */
    private static <P extends DataPointSnapshot> void values(StringBuilder out, String name, String type,
            MetricMetadata metadata, List<P> points, ToDoubleFunction<P> value) {
        metadata(out, name, type, metadata);
        for (P point : points) {
            sample(out, name, point.getLabels(), null);
            number(out, value.applyAsDouble(point)).append('\n');
        }
    }

    private static void histogram(StringBuilder out, HistogramSnapshot snapshot) {
        String name = snapshot.getMetadata().getPrometheusName();
        metadata(out, name, "histogram", snapshot.getMetadata());
        String bucketName = name + "_bucket";
        for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            if (buckets.isEmpty()) {
                buckets = ClassicHistogramBuckets.of(new double[] {Double.POSITIVE_INFINITY},
                        new long[] {point.getCount()});
            }
            long cumulative = 0;
            for (int i = 0; i < buckets.size(); i++) {
                cumulative += buckets.getCount(i);
                sample(out, bucketName, point.getLabels(), buckets.getUpperBound(i));
                out.append(cumulative).append('\n');
            }
            if (point.hasCount()) {
                sample(out, name + "_count", point.getLabels(), null);
                out.append(point.getCount()).append('\n');
            }
            if (point.hasSum()) {
                sample(out, name + "_sum", point.getLabels(), null);
                number(out, point.getSum()).append('\n');
            }
        }
    }

    private static void metadata(StringBuilder out, String name, String type, MetricMetadata metadata) {
        String help = metadata.getHelp();
        if (help != null && !help.isEmpty()) {
            out.append("# HELP ").append(name).append(' ');
            escaped(out, help, false);
            out.append('\n');
        }
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** {@code name{labels,le="bound"} }: everything before the value. */
    private static void sample(StringBuilder out, String name, Labels labels, Double le) {
        out.append(name);
        if (!labels.isEmpty() || le != null) {
            out.append('{');
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels.getPrometheusName(i)).append("=\"");
                escaped(out, labels.getValue(i), true);
                out.append('"');
            }
            if (le != null) {
                if (!labels.isEmpty()) {
                    out.append(',');
                }
                out.append("le=\"");
                number(out, le).append('"');
            }
            out.append('}');
        }
        out.append(' ');
    }

    /** Backslashes and newlines escaped, and double quotes too in a label value (not in help). */
    private static void escaped(StringBuilder out, String text, boolean quotes) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quotes ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    private static StringBuilder number(StringBuilder out, double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return out.append("+Inf");
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return out.append("-Inf");
        }
        return out.append(value); // Double.toString, as the library writes it
    }
}
