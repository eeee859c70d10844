package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.gguf.QwenFixtureModel;
import io.inventiv.worker.tools.gguf.QwenModelSpec;
import io.inventiv.worker.tools.soak.SoakRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code soak}: a bounded reliability run against a child server process on loopback. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Load a child server for a fixed time (mixed requests, 10%% disconnects) and check "
                + "errors, RSS drift and counters. Writes target/soak/soak.csv and summary.md.")
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--duration-s", defaultValue = "${env:SOAK_S:-600}",
            description = "How long to load the server (env SOAK_S, default ${DEFAULT-VALUE}).")
    private long durationSeconds;

    @Option(names = "--model", description = "GGUF to serve (default: the tiny qwen2 fixture, written to target/soak).")
    private Path model;

    @Option(names = "--concurrency", defaultValue = "8", description = "Clients at once (default ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--jvm-options", paramLabel = "FILE", defaultValue = "${env:SOAK_JVM_OPTIONS_FILE:-scripts/jvm-options}",
            description = "The server's JVM flags, whitespace-separated, as `make run` reads them "
                    + "(env SOAK_JVM_OPTIONS_FILE, default ${DEFAULT-VALUE}).")
    private Path jvmOptionsFile;

    @Option(names = "--output", defaultValue = "target/soak", description = "Report folder (default ${DEFAULT-VALUE}).")
    private Path output;

    @Override
    public Integer call() throws Exception {
        if (durationSeconds < 10 || concurrency < 1) {
            System.err.println("error: --duration-s must be at least 10 and --concurrency at least 1");
            return 2;
        }
        if (!Files.isReadable(jvmOptionsFile)) {
            System.err.println("error: cannot read the JVM options file " + jvmOptionsFile
                    + " (run from the project's folder, or give --jvm-options)");
            return 2;
        }
        List<String> jvmOptions = List.of(Files.readString(jvmOptionsFile).trim().split("\\s+"));
        Path served = model;
        if (served == null) {
            Files.createDirectories(output);
            served = output.resolve("tiny-qwen.gguf");
            QwenFixtureModel.write(QwenModelSpec.tiny(), served);
        }
        return new SoakRun(served, durationSeconds, concurrency, output, jvmOptions).run() ? 0 : 1;
    }
}
