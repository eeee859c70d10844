package io.inventiv.worker.engine.binding;

import java.nio.file.Path;

/** How to load the model: {@code totalContext} is split evenly between the slots. */
public record LoadOptions(Path modelPath, int totalContext, int parallel, int threads, int gpuLayers) {
}
