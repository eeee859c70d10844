package io.inventiv.worker.tools.bench;

import java.util.Arrays;

/**
 * The instants of one stream's content deltas: the first, the last, and the gaps between them.
 * Every driver (raw binding, engine, HTTP) times its stream with one, so all targets are measured
 * the same way.
 */
final class DeltaClock {
    private final long startNanos;
    private long firstNanos;
    private long lastNanos;
    private int deltas;
    private long[] gaps = new long[64];

    DeltaClock(long startNanos) {
        this.startNanos = startNanos;
    }

    /** A non-empty content delta arrived at {@code atNanos}. */
    void onDelta(long atNanos) {
        if (deltas == 0) {
            firstNanos = atNanos;
        } else {
            if (deltas - 1 == gaps.length) {
                gaps = Arrays.copyOf(gaps, gaps.length * 2);
            }
            gaps[deltas - 1] = atNanos - lastNanos;
        }
        lastNanos = atNanos;
        deltas++;
    }

    int deltas() {
        return deltas;
    }

    /** The stream's result; {@code errorKind} null for a success. */
    StreamResult result(String errorKind, String error, long endNanos, int completionTokens, int promptTokens) {
        return new StreamResult(errorKind, error, startNanos, firstNanos, lastNanos, endNanos, deltas,
                completionTokens, promptTokens, Arrays.copyOf(gaps, Math.max(0, deltas - 1)));
    }
}
