package io.inventiv.worker.api.protocol;

import io.inventiv.worker.engine.GenerationResult;

/** Token counts, in vLLM's field order. */
public record Usage(int promptTokens, int totalTokens, int completionTokens) {
    public static Usage of(GenerationResult result) {
        return new Usage(result.promptTokens(), result.totalTokens(), result.completionTokens());
    }
}
