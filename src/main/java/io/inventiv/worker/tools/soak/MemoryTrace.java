package io.inventiv.worker.tools.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soaked server's memory, broken down ({@link MemoryBreakdown}) once a minute, written to
 * memory.csv, and compared between the end of the warm-up and the end of the run: which kind of
 * memory grew, and by how much. Native Memory Tracking's own diff from the warm-up's end goes to
 * nmt-diff.txt.
 */
final class MemoryTrace {
    static final long INTERVAL_MILLIS = 60_000;
    private static final int LISTED = 10;

    /** One breakdown and when it was taken, in ms since the load began. */
    record Point(long elapsedMillis, MemoryBreakdown breakdown) {
    }

    private final long pid;
    private final Path jcmd;
    private final Path csv;
    private final Path nmtDiff;
    private final long warmUpEndsMillis;
    private final List<Point> points = new ArrayList<>();
    private boolean baselineTaken;

    MemoryTrace(long pid, Path jcmd, Path folder, long warmUpEndsMillis) throws IOException {
        this.pid = pid;
        this.jcmd = jcmd;
        this.csv = folder.resolve("memory.csv");
        this.nmtDiff = folder.resolve("nmt-diff.txt");
        this.warmUpEndsMillis = warmUpEndsMillis;
        Files.writeString(csv, "elapsed_s,category,kb\n");
    }

    /** The JDK tool beside the java that runs this process. */
    static Path jcmdBesideThisJava() {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path beside = java.resolveSibling("jcmd");
        return Files.isExecutable(beside) ? beside : Path.of("jcmd");
    }

    /** Takes a breakdown if a minute has passed since the last one (and always the first). */
    void maybeSample(long elapsedMillis) throws IOException, InterruptedException {
        if (!points.isEmpty() && elapsedMillis - points.getLast().elapsedMillis() < INTERVAL_MILLIS) {
            return;
        }
        sample(elapsedMillis);
    }

    void sample(long elapsedMillis) throws IOException, InterruptedException {
        MemoryBreakdown breakdown = MemoryBreakdown.read(pid, jcmd);
        points.add(new Point(elapsedMillis, breakdown));
        StringBuilder rows = new StringBuilder();
        breakdown.kilobytes().forEach((category, kb) -> rows.append(String.format(Locale.ROOT, "%.1f,%s,%d%n",
                elapsedMillis / 1000.0, category, kb)));
        Files.writeString(csv, rows, StandardOpenOption.APPEND);
        if (!baselineTaken && elapsedMillis >= warmUpEndsMillis) {
            baselineTaken = true;
            jcmd("VM.native_memory", "baseline");
        }
    }

    /** At the end: the tracking's own diff since the baseline, kept beside the report. */
    void writeNativeMemoryDiff() throws IOException, InterruptedException {
        if (baselineTaken) {
            Files.writeString(nmtDiff, jcmd("VM.native_memory", "summary.diff"));
        }
    }

    /** The first breakdown after the warm-up, and the last; null when the run was too short. */
    Change change() {
        Point from = points.stream().filter(p -> p.elapsedMillis() >= warmUpEndsMillis).findFirst().orElse(null);
        if (from == null || from == points.getLast()) {
            return null;
        }
        return new Change(from, points.getLast());
    }

    /** How each kind of memory moved between two breakdowns. */
    record Change(Point from, Point to) {
        /** One table row per category, the largest moves first (counts apart from kB). */
        List<String> rows() {
            Map<String, Long> before = from.breakdown().kilobytes();
            Map<String, Long> after = to.breakdown().kilobytes();
            return after.keySet().stream().filter(before::containsKey)
                    .sorted(Comparator.comparingLong((String key) -> -Math.abs(after.get(key) - before.get(key))))
                    .limit(LISTED)
                    .map(key -> key.equals(MemoryBreakdown.ARENAS)
                            ? String.format(Locale.ROOT, "| %s | %d | %d | %+d |", key, before.get(key),
                                    after.get(key), after.get(key) - before.get(key))
                            : String.format(Locale.ROOT, "| %s | %.1f MB | %.1f MB | %+.1f MB |", key,
                                    before.get(key) / 1024.0, after.get(key) / 1024.0,
                                    (after.get(key) - before.get(key)) / 1024.0))
                    .toList();
        }

        /** The kinds of resident memory that grew most, for a failure's message. */
        String largestGrowth() {
            Map<String, Long> before = from.breakdown().kilobytes();
            Map<String, Long> after = to.breakdown().kilobytes();
            return after.keySet().stream()
                    .filter(key -> key.startsWith("rss.") || key.startsWith("malloc.in-use") || key.startsWith("jvm."))
                    .filter(key -> !key.equals("jvm.committed") && before.containsKey(key))
                    .filter(key -> after.get(key) - before.get(key) > 0)
                    .sorted(Comparator.comparingLong((String key) -> before.get(key) - after.get(key)))
                    .limit(3)
                    .map(key -> String.format(Locale.ROOT, "%s %+.1f MB", key,
                            (after.get(key) - before.get(key)) / 1024.0))
                    .reduce((a, b) -> a + ", " + b).orElse("no category grew");
        }

        String heading() {
            return String.format(Locale.ROOT, "Memory by kind, %d s (after warm-up) → %d s (end)",
                    TimeUnit.MILLISECONDS.toSeconds(from.elapsedMillis()),
                    TimeUnit.MILLISECONDS.toSeconds(to.elapsedMillis()));
        }
    }

    private String jcmd(String... command) throws InterruptedException {
        return MemoryBreakdown.jcmd(jcmd, pid, command);
    }
}
