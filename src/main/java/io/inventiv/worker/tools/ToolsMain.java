package io.inventiv.worker.tools;

import io.inventiv.worker.logging.Logging;
import io.inventiv.worker.tools.cli.BenchCommand;
import io.inventiv.worker.tools.cli.BenchModelCommand;
import io.inventiv.worker.tools.bench.BenchTableCommand;
import io.inventiv.worker.tools.cli.DemoModelCommand;
import io.inventiv.worker.tools.cli.InterferenceBenchCommand;
import io.inventiv.worker.tools.cli.PairedBenchCommand;
import io.inventiv.worker.tools.cli.RawBenchCommand;
import io.inventiv.worker.tools.cli.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The tools' entry point, apart from the server's:
 * {@code java -cp target/worker-llamacpp.jar io.inventiv.worker.tools.ToolsMain <command>}.
 * The Makefile and scripts/bench.sh call it; the server never does.
 */
@Command(name = "worker-llamacpp-tools", mixinStandardHelpOptions = true, version = "worker-llamacpp tools 0.1.0",
        description = "Fixture models, benchmarks and the soak run for worker-llamacpp.",
        subcommands = {DemoModelCommand.class, BenchModelCommand.class, SoakCommand.class, BenchCommand.class,
                RawBenchCommand.class, PairedBenchCommand.class, BenchTableCommand.class,
                InterferenceBenchCommand.class})
public final class ToolsMain implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        Logging.installLogManager();
        int exitCode = new CommandLine(new ToolsMain()).execute(args);
        System.out.flush();
        System.err.flush();
        // The binding leaves a native thread attached, so the JVM would never exit by itself.
        Runtime.getRuntime().halt(exitCode);
    }
}
