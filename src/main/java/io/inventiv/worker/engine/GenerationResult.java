package io.inventiv.worker.engine;

/**
 * The accounting of one finished request. Times are {@link System#nanoTime()} readings;
 * {@code startedAtNanos} and {@code firstTokenAtNanos} are 0 when never reached.
 * {@code stopString} is the stop string that ended the text, or null.
 */
public record GenerationResult(
        int promptTokens,
        int completionTokens,
        FinishReason finishReason,
        String stopString,
        int maxTokens,
        long queuedAtNanos,
        long startedAtNanos,
        long firstTokenAtNanos,
        long finishedAtNanos) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
