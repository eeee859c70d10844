package io.inventiv.worker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The same lines as the JDK's SimpleFormatter with the format the server used before. */
class OneLineFormatterTest {
    private static final String FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    private static String simpleFormatter(LogRecord record) {
        String before = System.getProperty(FORMAT_PROPERTY);
        System.setProperty(FORMAT_PROPERTY, "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        try {
            return new SimpleFormatter().format(record);
        } finally {
            if (before == null) {
                System.clearProperty(FORMAT_PROPERTY);
            } else {
                System.setProperty(FORMAT_PROPERTY, before);
            }
        }
    }

    private static LogRecord record(Level level, String message, Object[] parameters, Throwable thrown) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("access");
        record.setInstant(Instant.parse("2026-11-27T13:30:05.007Z"));
        record.setParameters(parameters);
        record.setThrown(thrown);
        record.setSourceClassName("io.inventiv.worker.api.AccessLogFilter"); // SimpleFormatter would walk the stack
        record.setSourceMethodName("filter");
        return record;
    }

    @Test
    void linesMatchTheJdkFormatterWithTheServersFormat() {
        OneLineFormatter formatter = new OneLineFormatter();
        for (LogRecord record : new LogRecord[] {
                record(Level.INFO, "POST /v1/completions 200 12 ms", null, null),
                record(Level.WARNING, "slot {0} busy for {1} ms", new Object[] {0, 1500}, null),
                record(Level.SEVERE, "request failed in llama.cpp", null, new IllegalStateException("boom")),
                record(Level.FINE, "", null, null)}) {
            assertEquals(simpleFormatter(record), formatter.format(record));
        }
    }
}
