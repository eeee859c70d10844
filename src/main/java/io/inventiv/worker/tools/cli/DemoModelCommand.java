package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.gguf.QwenFixtureModel;
import io.inventiv.worker.tools.gguf.QwenModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo-model}: writes the tiny qwen2-architecture fixture, so the server can be run and
 * tried with no download. Its weights are random: it produces tokens, not sense.
 */
@Command(name = "demo-model", mixinStandardHelpOptions = true,
        description = "Write a tiny offline qwen2 GGUF (random weights, ChatML template) for trying the server.")
public final class DemoModelCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, defaultValue = "models/demo-model.gguf",
            description = "Where to write it (default ${DEFAULT-VALUE}).")
    private Path output;

    @Option(names = "--seed", defaultValue = "42", description = "Weight seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws Exception {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        QwenFixtureModel.write(QwenModelSpec.tiny().withSeed(seed), output);
        System.out.println("wrote " + output + " (" + Files.size(output) + " bytes)");
        return 0;
    }
}
