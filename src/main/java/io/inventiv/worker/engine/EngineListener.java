package io.inventiv.worker.engine;

/**
 * Hooks for observers of the scheduler (metrics, logs). Called on scheduler threads: keep them
 * quick and never throw.
 */
public interface EngineListener {
    EngineListener NONE = new EngineListener() {
    };

    /** A generation got a slot; its prompt is about to be evaluated. */
    default void onStarted(Generation generation, long atNanos) {
    }

    /** A generation got a slot that already held {@code cachedTokens} of its {@code promptTokens}. */
    default void onPromptCache(Generation generation, int promptTokens, int cachedTokens) {
    }

    /** A generation produced its first token. */
    default void onFirstToken(Generation generation, long atNanos) {
    }

    /** A generation produced a token after the first, {@code gapNanos} after the previous one. */
    default void onNextToken(Generation generation, long gapNanos) {
    }

    /** A generation ended: finished, aborted while running, or aborted while waiting. */
    default void onFinished(Generation generation, GenerationResult result) {
    }

    /** An embeddings request of {@code promptTokens} tokens was answered in {@code nanos}. */
    default void onEmbedded(int promptTokens, long nanos) {
    }
}
