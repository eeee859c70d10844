package io.inventiv.worker.engine.binding;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Finds llama.cpp's own reason for a failed load. The binding only throws "could not load model";
 * the reason goes to the process's native stderr, which Java cannot read. So on failure we load
 * the model once more in a child JVM whose stderr we capture, and keep its error lines. The child
 * uses the server's context, slots and GPU layers: a file that loads with a small context can
 * still fail on its KV cache (N_CTX × N_PARALLEL tokens), and only the same settings show that.
 */
public final class NativeLoadProbe {
    private static final long TIMEOUT_SECONDS = 60;

    private NativeLoadProbe() {
    }

    /** The child: loads the model as the server did (path, total context, slots, GPU layers). */
    public static void main(String[] args) {
        int exitCode = 0;
        try {
            new LlamaModel(new ModelParameters().setModel(args[0]).setCtxSize(Integer.parseInt(args[1]))
                    .setParallel(Integer.parseInt(args[2])).setGpuLayers(Integer.parseInt(args[3])).setThreads(1));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            System.err.println("error: " + e.getMessage());
            exitCode = 1;
        }
        Runtime.getRuntime().halt(exitCode); // the binding's native thread would keep us alive
    }

    /** llama.cpp's error lines for loading this model, or a note when none could be found. */
    public static String explain(ModelLoadOptions options) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String folder = Path.of(System.getProperty("java.io.tmpdir"), "worker-llamacpp-probe-"
                + ProcessHandle.current().pid()).toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dde.kherud.llama.tmpdir=" + folder));
        String customLibrary = System.getProperty("de.kherud.llama.lib.path");
        if (customLibrary != null) {
            command.add("-Dde.kherud.llama.lib.path=" + customLibrary); // the library that failed
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeLoadProbe.class.getName(),
                options.modelPath().toString(), Integer.toString(options.totalContext()),
                Integer.toString(options.parallel()), Integer.toString(options.gpuLayers())));
        try {
            Path.of(folder).toFile().mkdirs();
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = child.getInputStream().readAllBytes();
            if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            return errorLines(new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(llama.cpp's reason could not be captured: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted while capturing llama.cpp's reason)";
        }
    }

    /** A hint for the failures a setting causes, or null: the KV cache is sized by two of them. */
    public static String hint(String reason, ModelLoadOptions options) {
        if (reason.contains("kv cache")) {
            return "the KV cache holds N_CTX × N_PARALLEL = " + options.totalContext()
                    + " tokens, more than this machine can allocate; lower N_CTX or N_PARALLEL";
        }
        return null;
    }

    /** The lines that say what went wrong; "insufficient memory" names the size llama.cpp wanted. */
    static String errorLines(String log) {
        List<String> lines = log.lines()
                .filter(line -> {
                    String lower = line.toLowerCase(Locale.ROOT);
                    return lower.contains("error") || lower.contains("failed") || lower.contains("invalid")
                            || lower.contains("insufficient");
                })
                .map(String::strip)
                .distinct()
                .toList();
        return lines.isEmpty() ? "(llama.cpp printed no error line)" : String.join("\n  ", lines);
    }
}
