package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import io.inventiv.worker.tools.gguf.QwenFixtureModel;
import io.inventiv.worker.tools.gguf.QwenModelSpec;
import io.inventiv.worker.tools.gguf.QwenModelSpec.FileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench-model}: writes a GGUF with Qwen2.5-0.5B-Instruct's exact shapes and, by default,
 * its Q4_K_M tensor encodings, with seeded random weights. A token costs the same compute and
 * memory traffic as with the real model, so it stands in for it in benchmarks on machines that
 * cannot download it: same cost, meaningless text.
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
        description = "Write a GGUF with Qwen2.5-0.5B-Instruct's shapes and quantisation but random weights, for"
                + " benchmarks: same cost per token as the real model, meaningless text.")
public final class BenchModelCommand implements Callable<Integer> {
    private static final EnumSet<FileType> TYPES = EnumSet.of(FileType.Q4_K_M, FileType.Q8_0, FileType.Q4_0);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "models/bench-qwen2.5-0.5b-q4_k_m.gguf",
            description = "Where to write it (default ${DEFAULT-VALUE}).")
    private Path output;

    @Option(names = "--type", defaultValue = "Q4_K_M",
            description = "Q4_K_M (the published model's mix), Q8_0 or Q4_0 (default ${DEFAULT-VALUE}).")
    private FileType type;

    @Option(names = "--seed", defaultValue = "42", description = "Weight seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws Exception {
        if (!TYPES.contains(type)) {
            throw new ParameterException(spec.commandLine(), "--type must be one of " + TYPES + ", not " + type);
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        QwenModelSpec model = QwenModelSpec.qwen25_05b(type).withSeed(seed);
        long start = System.nanoTime();
        QwenFixtureModel.write(model, output);
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = Files.size(output);
        System.out.printf("wrote %s: %s, %,d bytes (%.1f MB) in %.1f s%n", output, type, bytes, bytes / 1e6, seconds);
        System.out.println("tensors by type: " + countByType(QwenFixtureModel.tensorTypes(model)));
        return 0;
    }

    /** For example {@code f32 121, q4_K 12, q5_0 132, q6_K 12, q8_0 13}, named as llama.cpp's loader logs them. */
    private static String countByType(Map<String, TensorType> types) {
        Map<String, Long> counts = types.values().stream()
                .collect(Collectors.groupingBy(BenchModelCommand::ggmlName, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(c -> c.getKey() + " " + c.getValue()).collect(Collectors.joining(", "));
    }

    private static String ggmlName(TensorType type) {
        String name = type.name().toLowerCase(Locale.ROOT);
        return name.endsWith("_k") ? name.substring(0, name.length() - 1) + "K" : name;
    }
}
