package io.inventiv.worker.engine;

/**
 * The accounting of one finished request. Times are {@link System#nanoTime()} readings;
 * {@code startedAtNanos} and {@code firstTokenAtNanos} are 0 when never reached.
 * {@code stopString} is the stop string that ended the text, or null. {@code cachedTokens} is how
 * many prompt tokens were reused from a slot's cache, or null when the engine cannot tell.
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
        long finishedAtNanos,
        Integer cachedTokens) {

    /** A result from an engine that does not report prompt-cache reuse. */
    public GenerationResult(int promptTokens, int completionTokens, FinishReason finishReason, String stopString,
            int maxTokens, long queuedAtNanos, long startedAtNanos, long firstTokenAtNanos, long finishedAtNanos) {
        this(promptTokens, completionTokens, finishReason, stopString, maxTokens, queuedAtNanos, startedAtNanos,
                firstTokenAtNanos, finishedAtNanos, null);
    }

    /** The result of a generation that ended before it got a slot. */
    static GenerationResult abortedWhileWaiting(Generation generation) {
        return new GenerationResult(generation.promptTokens(), 0, FinishReason.ABORT, null, generation.maxTokens(),
                generation.queuedAtNanos(), 0, 0, System.nanoTime());
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
