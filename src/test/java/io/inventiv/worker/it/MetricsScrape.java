package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strictly parsed /metrics exposition: every sample line, by its full series name. */
final class MetricsScrape {
    /** The control plane agent's own parser, verbatim, with NAME filled in. */
    static final String AGENT_REGEX = "^NAME(\\{[^}]*\\})?\\s+([0-9eE.+-]+)\\s*$";
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (\\S+)$");
    private static final Pattern COMMENT = Pattern.compile("^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$");

    private final String text;
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private MetricsScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                assertTrue(COMMENT.matcher(line).matches(), "comment line: " + line);
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), "sample line is 'name{labels} value': " + line);
            double value = Double.parseDouble(sample.group(3));
            assertFalse(Double.isNaN(value), "no NaN: " + line);
            String series = sample.group(1) + sortedLabels(sample.group(2));
            assertEquals(null, samples.put(series, value), "series appears once: " + series);
        }
    }

    /** Labels in name order, so tests need not know the exposition's own order. */
    private static String sortedLabels(String labels) {
        if (labels == null) {
            return "";
        }
        java.util.List<String> pairs = new java.util.ArrayList<>(
                java.util.Arrays.asList(labels.substring(1, labels.length() - 1).split(",(?=[a-zA-Z_]+=\")")));
        java.util.Collections.sort(pairs);
        return "{" + String.join(",", pairs) + "}";
    }

    static MetricsScrape parse(HttpResponse<String> response) {
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
        return new MetricsScrape(response.body());
    }

    String text() {
        return text;
    }

    /** The first value the control plane's agent would read for this metric name. */
    double agentValue(String name) {
        Pattern agent = Pattern.compile(AGENT_REGEX.replace("NAME", Pattern.quote(name)), Pattern.MULTILINE);
        Matcher matcher = agent.matcher(text);
        assertTrue(matcher.find(), "the agent finds " + name);
        return Double.parseDouble(matcher.group(2));
    }

    /** The value of a series given as {@code name{label="v",...}} with labels in name order. */
    double value(String series) {
        Double value = samples.get(series);
        assertTrue(value != null, "series " + series + " in:\n" + text);
        return value;
    }

    boolean has(String series) {
        return samples.containsKey(series);
    }
}
