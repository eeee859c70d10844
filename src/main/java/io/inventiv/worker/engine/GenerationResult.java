package io.inventiv.worker.engine;

/**
 * The accounting of one finished request. Times are {@link System#nanoTime()} readings;
 * {@code startedAtNanos} and {@code firstTokenAtNanos} are 0 when never reached.
 */
public record GenerationResult(
        int promptTokens,
        int completionTokens,
        FinishReason finishReason,
        int maxTokens,
        long queuedAtNanos,
        long startedAtNanos,
        long firstTokenAtNanos,
        long finishedAtNanos) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
