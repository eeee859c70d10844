package io.inventiv.worker.engine.binding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which GPU backend the llama.cpp library that will be loaded has built in, and how many layers
 * go to it. {@code N_GPU_LAYERS=auto} offloads every layer when there is a backend (Metal in the
 * binding's Apple Silicon library, CUDA in a library built with it), none otherwise.
 *
 * @param backend "Metal", "CUDA" or "none"
 * @param layers  the layers asked of llama.cpp; {@link #ALL_LAYERS} means every one
 * @param auto    whether {@code layers} was chosen by {@code auto}
 */
public record GpuOffload(String backend, int layers, boolean auto) {
    /** llama.cpp's own "all layers" (llama-server's -ngl 999); it clamps to the model's count. */
    public static final int ALL_LAYERS = 999;
    public static final String NONE = "none";

    /** For the library the binding will load: its bundled one, or the one in LLAMA_LIB_PATH. */
    public static GpuOffload resolve(int requestedLayers) {
        return resolve(requestedLayers, System.getProperty("de.kherud.llama.lib.path"));
    }

    /**
     * {@code requestedLayers}: a count, or any negative value for auto. {@code customLibraryFolder}: the folder
     * given as LLAMA_LIB_PATH, or null for the library bundled with the binding.
     */
    public static GpuOffload resolve(int requestedLayers, String customLibraryFolder) {
        return resolve(requestedLayers, customLibraryFolder, System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""));
    }

    /** As on a machine with this {@code os.name} and {@code os.arch}. */
    static GpuOffload resolve(int requestedLayers, String customLibraryFolder, String osName, String osArch) {
        String backend = backendOf(customLibraryFolder, osName.toLowerCase(Locale.ROOT),
                osArch.toLowerCase(Locale.ROOT));
        if (requestedLayers >= 0) {
            return new GpuOffload(backend, requestedLayers, false);
        }
        return new GpuOffload(backend, backend.equals(NONE) ? 0 : ALL_LAYERS, true);
    }

    /** One line for the start-up log. */
    public String describe() {
        String layerText = layers == 0 ? "CPU only" : layers >= ALL_LAYERS ? "all layers offloaded" : layers + " layers offloaded";
        return "GPU backend: " + backend + "; " + layerText + (auto ? " (N_GPU_LAYERS=auto)" : "");
    }

    private static String backendOf(String customLibraryFolder, String os, String arch) {
        boolean mac = os.startsWith("mac");
        String fileName = mac ? "libjllama.dylib" : os.startsWith("windows") ? "jllama.dll" : "libjllama.so";
        Set<String> found;
        try (InputStream library = customLibraryFolder != null && !customLibraryFolder.isBlank()
                ? openFile(Path.of(customLibraryFolder, fileName))
                : openBundled(mac, os, arch, fileName)) {
            if (library == null) {
                return NONE;
            }
            found = find(library, "ggml_cuda", "ggml_metal");
        } catch (IOException e) {
            return NONE; // the load itself will say what is wrong with the library
        }
        if (found.contains("ggml_cuda")) {
            return "CUDA";
        }
        // Intel Macs' library has Metal too, but their GPUs are slower at this than their CPUs.
        if (found.contains("ggml_metal") && mac && (arch.equals("aarch64") || arch.equals("arm64"))) {
            return "Metal";
        }
        return NONE;
    }

    private static InputStream openFile(Path file) throws IOException {
        return Files.isReadable(file) ? Files.newInputStream(file) : null;
    }

    /** The binding's resource layout: de/kherud/llama/{Linux,Mac,Windows}/{x86_64,aarch64}/. */
    private static InputStream openBundled(boolean mac, String os, String arch, String fileName) {
        String osFolder = mac ? "Mac" : os.startsWith("windows") ? "Windows" : "Linux";
        String archFolder = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("arm64") || arch.equals("aarch64") ? "aarch64" : arch;
        String resource = "de/kherud/llama/" + osFolder + "/" + archFolder + "/" + fileName;
        return GpuOffload.class.getClassLoader().getResourceAsStream(resource);
    }

    /**
     * Which of the ASCII {@code needles} occur in the stream, read in blocks: the library is several
     * megabytes, which a whole-file read would leave on the heap for the life of the process.
     */
    static Set<String> find(InputStream in, String... needles) throws IOException {
        int longest = 0;
        for (String needle : needles) {
            longest = Math.max(longest, needle.length());
        }
        byte[] window = new byte[64 * 1024 + longest];
        Set<String> found = new HashSet<>();
        int kept = 0;
        for (int n = in.read(window, kept, window.length - kept); n > 0; n = in.read(window, kept, window.length - kept)) {
            int filled = kept + n;
            String text = new String(window, 0, filled, StandardCharsets.ISO_8859_1);
            for (String needle : needles) {
                if (text.contains(needle)) {
                    found.add(needle);
                }
            }
            kept = Math.min(longest - 1, filled);
            System.arraycopy(window, filled - kept, window, 0, kept);
        }
        return found;
    }
}
