package io.inventiv.worker.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bench-table DIR}: reads every bench report in DIR (from {@code --json}), merges each
 * with its {@code NAME.proc.json} (start-to-ready time and peak RSS of a server process, which
 * only the script that started it can measure), prints the comparison table, and writes it to
 * DIR/table.md and DIR/summary.json. {@code bench-table DIR DIR...} pools the per-round lines of
 * several runs instead (PooledRounds) and only prints them.
 */
@Command(name = "bench-table", mixinStandardHelpOptions = true,
        description = "Combine bench JSON reports from a folder into one table with ratio columns; "
                + "given several folders, pool their per-round ratios with the median's 95%% interval.")
public final class BenchTableCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*",
            description = "Folder of NAME.json reports and optional NAME.proc.json facts (one bench run).")
    private List<Path> folders;

    @Override
    public Integer call() throws IOException {
        if (folders.size() > 1) {
            return pool();
        }
        Path folder = folders.get(0);
        Map<String, BenchReport> byFile = read(folder);
        List<BenchReport> reports = List.copyOf(byFile.values());
        if (reports.isEmpty()) {
            System.err.println("error: no bench reports in " + folder);
            return 1;
        }
        BenchTable.Summary summary = BenchTable.summarize(reports);
        String table = BenchTable.markdown(summary) + PairedRounds.markdown(byFile);
        Files.writeString(folder.resolve("table.md"), table);
        Files.writeString(folder.resolve("summary.json"), BenchReport.JSON.writeValueAsString(summary));
        System.out.print(table);
        return 0;
    }

    private int pool() throws IOException {
        List<Map<String, BenchReport>> runs = new ArrayList<>();
        for (Path folder : folders) {
            runs.add(read(folder));
        }
        String table = PooledRounds.markdown(runs);
        if (table.isEmpty()) {
            System.err.println("error: no round in " + folders + " ran ours beside raw or llama-server");
            return 1;
        }
        System.out.print(table);
        return 0;
    }

    /** The reports by file name, in file-name order. */
    static Map<String, BenchReport> read(Path folder) throws IOException {
        Map<String, BenchReport> reports = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".json") || name.endsWith(".proc.json") || name.equals("summary.json")) {
                    continue;
                }
                BenchReport report;
                try {
                    report = BenchReport.JSON.readValue(file.toFile(), BenchReport.class);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    // A run that died leaves a partial file: leave it out, but say so.
                    System.err.println("warning: skipping " + file + ": not a bench report (" + e.getOriginalMessage()
                            + ")");
                    continue;
                }
                Path facts = folder.resolve(name.substring(0, name.length() - 5) + ".proc.json");
                if (Files.exists(facts)) {
                    report = withProcess(report, BenchReport.JSON.readValue(facts.toFile(),
                            BenchReport.ProcessFacts.class));
                }
                reports.put(name, report);
            }
        }
        return reports;
    }

    private static BenchReport withProcess(BenchReport report, BenchReport.ProcessFacts process) {
        return new BenchReport(report.target(), report.label(), report.url(), report.model(), report.startedAt(),
                report.settings(), report.repeats(), report.overall(), report.probes(), process,
                report.clientCpuSeconds());
    }
}
