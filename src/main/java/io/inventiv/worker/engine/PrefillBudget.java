package io.inventiv.worker.engine;

/**
 * How many prompt tokens the decode loop adds to a step in which other slots decode. Alone, or
 * when as many slots wait for their prompt as decode (a burst of arrivals), prompts take the whole
 * batch, as llama-server does. Beside a majority of running streams, the chunk is sized from
 * measured costs so that the step takes at most {@link #ALLOWANCE} more than a step of the streams
 * alone: a long prompt then stretches their inter-token gap by that much at worst, instead of
 * stalling them for its whole evaluation (docs/DECISIONS.md, "Prefill chunks").
 */
final class PrefillBudget {
    /** A step with a prompt chunk may take this fraction longer than one without. */
    static final double ALLOWANCE = 0.7;
    static final int FIRST_CHUNK = 2;
    static final int SMALLEST_CHUNK = 1;
    private static final double WEIGHT = 0.2;

    private final int capacity;
    /** Moving averages: a step of decoding rows only, and the extra cost of one prompt token. */
    private double decodeStepNanos;
    private double promptTokenNanos;

    PrefillBudget(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Prompt tokens for a step with {@code decoding} decoding rows, {@code prefilling} slots waiting
     * for their prompt, and room for {@code room} more rows.
     */
    int tokensFor(int decoding, int prefilling, int room) {
        if (prefilling >= decoding) {
            return room;
        }
        if (decodeStepNanos == 0 || promptTokenNanos == 0) {
            return Math.min(room, FIRST_CHUNK);
        }
        long chunk = Math.round(decodeStepNanos * ALLOWANCE / promptTokenNanos);
        return (int) Math.max(Math.min(SMALLEST_CHUNK, room), Math.min(room, Math.min(chunk, capacity)));
    }

    /** Learns from a step that decoded {@code decoding} rows and {@code prompt} prompt tokens. */
    void observe(int decoding, int prompt, long nanos) {
        if (decoding > 0 && prompt == 0) {
            decodeStepNanos = average(decodeStepNanos, nanos);
        } else if (decoding > 0 && decodeStepNanos > 0) {
            promptTokenNanos = average(promptTokenNanos, Math.max(1.0, (nanos - decodeStepNanos) / prompt));
        }
    }

    private static double average(double current, double sample) {
        return current == 0 ? sample : current + WEIGHT * (sample - current);
    }
}
