package io.inventiv.worker.bench;

import io.inventiv.worker.cli.BenchCommand;
import io.inventiv.worker.cli.Logging;
import io.inventiv.worker.cli.PairedBenchCommand;
import io.inventiv.worker.cli.RawBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs the bench commands with {@code java -cp target/worker-llamacpp.jar
 * io.inventiv.worker.bench.BenchMain bench|bench-raw|bench-paired|bench-table ...}, whether or not they are
 * registered under the main command; scripts/bench.sh uses it so it works either way.
 */
@Command(name = "bench-main", mixinStandardHelpOptions = true,
        subcommands = {BenchCommand.class, RawBenchCommand.class, PairedBenchCommand.class, BenchTableCommand.class})
public final class BenchMain implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        Logging.installLogManager();
        int exitCode = new CommandLine(new BenchMain()).execute(args);
        System.out.flush();
        System.err.flush();
        // The binding leaves a native thread attached, so the JVM would never exit by itself.
        Runtime.getRuntime().halt(exitCode);
    }
}
