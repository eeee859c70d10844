package io.inventiv.worker.api.protocol;

import io.inventiv.worker.engine.GenerationResult;

/**
 * Token counts, in vLLM's field order. {@code promptTokensDetails} says how many prompt tokens came
 * from the prefix cache; null (as vLLM writes it) when the engine cannot tell.
 */
public record Usage(int promptTokens, int totalTokens, int completionTokens, PromptTokensDetails promptTokensDetails) {
    public static Usage of(GenerationResult result) {
        return new Usage(result.promptTokens(), result.totalTokens(), result.completionTokens(),
                result.cachedTokens() == null ? null : new PromptTokensDetails(result.cachedTokens()));
    }

    /** vLLM's PromptTokenUsageInfo. */
    public record PromptTokensDetails(int cachedTokens) {
    }
}
