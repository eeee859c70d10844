package io.inventiv.worker.engine.jni;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Finds and loads the native engine's library: {@code libworker_llama} and llama.cpp's libraries,
 * side by side in one folder that {@code make native} fills ({@code target/native}, or
 * {@code native/} beside the jar in the Docker image).
 *
 * @param folder  where the libraries are
 * @param release the pinned llama.cpp release they were built from
 * @param commit  its commit
 * @param flavor  cpu-native, cpu-variants, cuda or metal
 */
public record NativeLibrary(Path folder, String release, String commit, String flavor) {
    private static final String LIBRARY = System.mapLibraryName("worker_llama");
    private static volatile NativeLibrary loaded;

    /** The folder named {@code native} beside the jar (or the classes folder, in tests). */
    public static Path defaultFolder() {
        try {
            Path code = Path.of(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().resolve("native");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "native").toAbsolutePath();
        }
    }

    /** Whether the folder holds a built library at all (what ENGINE=auto asks first). */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(LIBRARY));
    }

    /**
     * Loads the library once per process. Throws {@link UnsatisfiedLinkError} or
     * {@link IllegalStateException} with the reason when it cannot be used here.
     */
    public static synchronized NativeLibrary load(Path folder) {
        if (loaded != null) {
            if (!loaded.folder.equals(folder.toAbsolutePath())) {
                throw new IllegalStateException("the native library is already loaded from " + loaded.folder);
            }
            return loaded;
        }
        Path library = folder.toAbsolutePath().resolve(LIBRARY);
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException("no native engine library at " + library + " (build it with `make native`)");
        }
        Properties info = new Properties();
        try (InputStream in = Files.newInputStream(folder.resolve("build-info.properties"))) {
            info.load(in);
        } catch (IOException e) {
            // A library without its build info still works; it is only described less.
        }
        System.load(library.toString());
        LlamaNative.setLogLevel(LlamaNative.LOG_WARN);
        LlamaNative.backendInit(folder.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
        loaded = new NativeLibrary(folder.toAbsolutePath(), info.getProperty("release", "unknown"),
                info.getProperty("commit", "unknown"), info.getProperty("flavor", "unknown"));
        return loaded;
    }

    /** llama.cpp's own line of the CPU features its kernels use (e.g. "AVX2 = 1 | AVX512 = 1 ..."). */
    public String cpuFeatures() {
        return LlamaNative.systemInfo();
    }

    /** The compute devices llama.cpp found, as "NAME\tdescription" lines. */
    public String devices() {
        return LlamaNative.devices();
    }

    /** Routes llama.cpp's debug and info lines to the log too (LOG_LEVEL=debug). */
    public void verbose(boolean verbose) {
        LlamaNative.setLogLevel(verbose ? LlamaNative.LOG_DEBUG : LlamaNative.LOG_WARN);
    }
}
