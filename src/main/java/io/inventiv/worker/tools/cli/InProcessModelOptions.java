package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.bench.BenchSampling;
import io.inventiv.worker.engine.binding.NativeLibraryFolder;
import io.inventiv.worker.tools.bench.RawBindingDriver;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** The model a bench command loads in its own process, with the server's settings. */
final class InProcessModelOptions {
    @Option(names = "--model", paramLabel = "PATH", required = true, description = "GGUF model file.")
    Path modelPath;

    @Option(names = "--n-ctx", defaultValue = "2048",
            description = "Context per slot, as the server's N_CTX (default ${DEFAULT-VALUE}).")
    int maxModelLen;

    @Option(names = "--n-parallel", defaultValue = "0",
            description = "Slots, as the server's N_PARALLEL; 0 = the concurrency (default).")
    int parallel;

    @Option(names = "--n-threads", defaultValue = "0", description = "Inference threads; 0 = available cores (default).")
    int threads;

    @Option(names = "--llama-nice", defaultValue = "5",
            description = "Nice value of llama.cpp's threads, as the server's LLAMA_NICE (default ${DEFAULT-VALUE}).")
    int llamaNice;

    /** Null when the model file can be read, else what is wrong. */
    String problem() {
        return Files.isReadable(modelPath) ? null : "cannot read model file " + modelPath;
    }

    int slots(int concurrency) {
        return parallel > 0 ? parallel : concurrency;
    }

    int threadCount() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Loads the raw binding in this process. */
    RawBindingDriver loadRaw(int concurrency, int promptTokens, BenchSampling sampling) throws Exception {
        return loadQuietly(() -> RawBindingDriver.load(modelPath, maxModelLen, slots(concurrency), threadCount(),
                llamaNice, promptTokens, sampling));
    }

    /**
     * Runs a model load with its own native-library folder. The binding announces its library
     * extraction on stdout, which must stay clean for --json, so stdout points to stderr meanwhile.
     */
    static <T> T loadQuietly(Callable<T> load) throws Exception {
        NativeLibraryFolder.usePerProcessFolder();
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            return load.call();
        } finally {
            System.setOut(stdout);
        }
    }
}
