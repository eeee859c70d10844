package io.inventiv.worker.download;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Download progress on stderr: bytes, rate and time left. On a terminal it is one line redrawn
 * in place; in a log (a Docker build, CI) it is a new line every 10% or 10 seconds, so the log
 * stays readable and still shows that something is happening.
 */
public final class DownloadProgress {
    /** How progress is shown. */
    public enum Style { BAR, LINES, NONE }

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long LINE_EVERY_NANOS = 10_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final Style style;
    private final LongSupplier nanoClock;
    private long total = -1;
    private long startBytes;
    private long startNanos;
    private long lastShownNanos;
    private int lastTenth;
    private int lastWidth;

    public DownloadProgress(PrintWriter out, Style style, LongSupplier nanoClock) {
        this.out = out;
        this.style = style;
        this.nanoClock = nanoClock;
    }

    /** Starts timing; {@code alreadyHave} bytes came from an earlier attempt, total is -1 when unknown. */
    public void start(long alreadyHave, long total) {
        this.total = total;
        this.startBytes = alreadyHave;
        this.startNanos = nanoClock.getAsLong();
        this.lastShownNanos = startNanos;
        this.lastTenth = tenth(alreadyHave);
        this.lastWidth = 0;
    }

    public void update(long bytes) {
        long now = nanoClock.getAsLong();
        switch (style) {
            case BAR -> {
                if (now - lastShownNanos >= REDRAW_NANOS) {
                    redraw(bar(bytes) + " " + figures(bytes, now));
                    lastShownNanos = now;
                }
            }
            case LINES -> {
                int tenth = tenth(bytes);
                if (tenth > lastTenth || now - lastShownNanos >= LINE_EVERY_NANOS) {
                    out.println("  " + figures(bytes, now));
                    out.flush();
                    lastTenth = tenth;
                    lastShownNanos = now;
                }
            }
            case NONE -> {
            }
        }
    }

    /** The last line, always shown (unless NONE): what was fetched, how long it took. */
    public void finish(long bytes) {
        long now = nanoClock.getAsLong();
        String done = "done: " + bytes(bytes - startBytes) + " in " + duration(now - startNanos) + " ("
                + rate(bytes, now) + ")";
        switch (style) {
            case BAR -> {
                redraw(bar(bytes) + " " + figures(bytes, now));
                out.println();
                out.println("  " + done);
            }
            case LINES -> out.println("  " + done);
            case NONE -> {
            }
        }
        out.flush();
    }

    /** Ends a half-drawn bar line so that an error message starts on a line of its own. */
    public void abandon() {
        if (style == Style.BAR && lastWidth > 0) {
            out.println();
            out.flush();
            lastWidth = 0;
        }
    }

    private void redraw(String line) {
        int pad = Math.max(0, lastWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastWidth = line.length();
    }

    private String bar(long bytes) {
        if (total <= 0) {
            return "[" + "?".repeat(BAR_WIDTH) + "]";
        }
        int filled = (int) Math.min(BAR_WIDTH, bytes * BAR_WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    /** "45% 210.3 MiB / 468.6 MiB, 12.3 MiB/s, ETA 0:21" (percentage and ETA only with a total). */
    String figures(long bytes, long now) {
        StringBuilder text = new StringBuilder();
        if (total > 0) {
            text.append(String.format(Locale.ROOT, "%3d%% ", bytes * 100 / total))
                    .append(bytes(bytes)).append(" / ").append(bytes(total));
        } else {
            text.append(bytes(bytes));
        }
        text.append(", ").append(rate(bytes, now));
        if (total > 0) {
            double perSecond = perSecond(bytes, now);
            text.append(", ETA ").append(perSecond > 0
                    ? duration((long) ((total - bytes) / perSecond * 1e9)) : "--:--");
        }
        return text.toString();
    }

    private int tenth(long bytes) {
        return total > 0 ? (int) (bytes * 10 / total) : 0;
    }

    private double perSecond(long bytes, long now) {
        double seconds = (now - startNanos) / 1e9;
        return seconds > 0 ? (bytes - startBytes) / seconds : 0;
    }

    private String rate(long bytes, long now) {
        return bytes((long) perSecond(bytes, now)) + "/s";
    }

    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(long nanos) {
        long seconds = Math.max(0, nanos / 1_000_000_000L);
        long hours = seconds / 3600;
        return hours > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
