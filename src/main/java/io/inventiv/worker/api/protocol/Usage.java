package io.inventiv.worker.api.protocol;

import io.inventiv.worker.engine.GenerationResult;

/**
 * Token counts, in vLLM's field order. {@code promptTokensDetails} says how many prompt tokens came
 * from the prefix cache; null (as vLLM writes it) when the engine cannot tell.
 */
public record Usage(int promptTokens, int totalTokens, int completionTokens, PromptTokensDetails promptTokensDetails) {
    public static Usage of(GenerationResult result) {
        return of(java.util.List.of(result));
    }

    /** The usage of an n &gt; 1 request: its prompt once, every choice's completion. */
    public static Usage of(java.util.List<GenerationResult> choices) {
        GenerationResult first = choices.get(0);
        int completion = choices.stream().mapToInt(GenerationResult::completionTokens).sum();
        return new Usage(first.promptTokens(), first.promptTokens() + completion, completion,
                first.cachedTokens() == null ? null : new PromptTokensDetails(first.cachedTokens()));
    }

    /** vLLM's PromptTokenUsageInfo. */
    public record PromptTokensDetails(int cachedTokens) {
    }
}
