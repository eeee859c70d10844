package io.inventiv.worker.engine.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** N_GPU_LAYERS=auto, read off the real bundled libraries and off custom ones. */
class GpuOffloadTest {
    private static final int AUTO = -1;

    @TempDir
    Path dir;

    @Test
    void theBundledAppleSiliconLibraryHasMetalSoAutoOffloadsEveryLayer() {
        GpuOffload gpu = GpuOffload.resolve(AUTO, null, "Mac OS X", "aarch64");
        assertEquals(new GpuOffload("Metal", GpuOffload.ALL_LAYERS, true), gpu);
        assertEquals("GPU backend: Metal; all layers offloaded (N_GPU_LAYERS=auto)", gpu.describe());
    }

    @Test
    void theBundledLinuxLibrariesAreCpuOnlySoAutoOffloadsNothing() {
        assertEquals(new GpuOffload("none", 0, true), GpuOffload.resolve(AUTO, null, "Linux", "amd64"));
        assertEquals(new GpuOffload("none", 0, true), GpuOffload.resolve(AUTO, null, "Linux", "aarch64"));
    }

    @Test
    void intelMacsStayOnTheCpuEvenThoughTheirLibraryHasMetal() {
        assertEquals(new GpuOffload("none", 0, true), GpuOffload.resolve(AUTO, null, "Mac OS X", "x86_64"));
    }

    @Test
    void aCustomCudaLibraryIsFoundInLlamaLibPath() throws IOException {
        Files.write(dir.resolve("libjllama.so"), ("\0\0ELF...ggml_cuda_init\0...").getBytes(StandardCharsets.US_ASCII));
        assertEquals(new GpuOffload("CUDA", GpuOffload.ALL_LAYERS, true),
                GpuOffload.resolve(AUTO, dir.toString(), "Linux", "amd64"));
    }

    @Test
    void anExplicitCountIsKeptWhateverTheLibrary() throws IOException {
        Files.write(dir.resolve("libjllama.so"), "ggml_cuda".getBytes(StandardCharsets.US_ASCII));
        assertEquals(new GpuOffload("CUDA", 0, false), GpuOffload.resolve(0, dir.toString(), "Linux", "amd64"));
        assertEquals(new GpuOffload("none", 12, false), GpuOffload.resolve(12, null, "Linux", "amd64"));
        assertEquals("GPU backend: none; 12 layers offloaded", GpuOffload.resolve(12, null, "Linux", "amd64").describe());
    }

    @Test
    void aMissingCustomLibraryMeansNoBackendAndLeavesTheErrorToTheLoad() {
        assertEquals(new GpuOffload("none", 0, true), GpuOffload.resolve(AUTO, dir.toString(), "Linux", "amd64"));
    }
}
