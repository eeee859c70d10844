package io.inventiv.worker.engine.binding;

import java.nio.file.Path;

/**
 * How to load the model: {@code totalContext} is split evenly between the slots; {@code nice} is
 * the nice value of llama.cpp's threads (see {@link ThreadNice}). {@code nativeConsoleLog} keeps
 * llama.cpp's own ~150-line console log (for debugging).
 */
public record ModelLoadOptions(Path modelPath, int totalContext, int parallel, int threads, int gpuLayers, int nice,
        boolean nativeConsoleLog) {
}
