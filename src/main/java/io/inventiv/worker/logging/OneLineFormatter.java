package io.inventiv.worker.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record: {@code 2026-11-27T13:30:00.123 INFO access: message}, then the stack trace
 * of a throwable if there is one. The JDK's SimpleFormatter printed the same with the format
 * {@code %1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n}, but it asks every record for its source
 * class, and a record that came through System.Logger finds it by walking the stack, which with
 * String.format was most of the access log's CPU
 * (docs/DECISIONS.md, "Per-token and per-request cuts").
 */
final class OneLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        TIME.formatTo(record.getInstant(), line);
        line.append(' ').append(record.getLevel().getLocalizedName()).append(' ').append(record.getLoggerName())
                .append(": ").append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                out.println();
                record.getThrown().printStackTrace(out);
            }
            line.append(trace);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
