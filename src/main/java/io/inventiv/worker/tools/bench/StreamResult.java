package io.inventiv.worker.tools.bench;

/**
 * What one streamed request did, with {@link System#nanoTime()} instants. {@code error} is null
 * for a success; {@code errorKind} groups failures for the report: the HTTP status ("503"),
 * {@code io} (connection or timeout), {@code error-frame} (the server streamed an error), or
 * {@code truncated} (the stream ended without finishing).
 *
 * @param firstContentNanos  first non-empty content delta, 0 if none came
 * @param completionTokens   the usage chunk's completion_tokens, else the number of deltas
 * @param promptTokens       the usage chunk's prompt_tokens, or -1 when the server sent none
 * @param interTokenNanos    gaps between consecutive content deltas
 */
public record StreamResult(
        String errorKind,
        String error,
        long startNanos,
        long firstContentNanos,
        long lastContentNanos,
        long endNanos,
        int contentDeltas,
        int completionTokens,
        int promptTokens,
        long[] interTokenNanos) {

    public static StreamResult failed(String errorKind, String error, long startNanos, long endNanos) {
        return new StreamResult(errorKind, error, startNanos, 0, 0, endNanos, 0, 0, -1, new long[0]);
    }

    public boolean ok() {
        return errorKind == null;
    }

    /** Time to first token in ms, or NaN when no content arrived. */
    public double ttftMillis() {
        return firstContentNanos == 0 ? Double.NaN : (firstContentNanos - startNanos) / 1e6;
    }

    /**
     * Decode speed of this stream: tokens after the first over the time after the first, so
     * that prompt evaluation does not count. NaN when there is too little to measure.
     */
    public double decodeTokensPerSecond() {
        long decodeNanos = lastContentNanos - firstContentNanos;
        if (firstContentNanos == 0 || completionTokens < 2 || decodeNanos <= 0) {
            return Double.NaN;
        }
        return (completionTokens - 1) / (decodeNanos / 1e9);
    }
}
