package io.inventiv.worker.tools.bench;

import java.time.Duration;

/**
 * The load: {@code concurrency} closed-loop streams (each starts its next request when the last
 * one ends). Warm-up requests run first and are not measured; then {@code repeats} measured
 * phases, each of {@code requests} requests or, when that is 0, of {@code duration}.
 * Every phase is bounded: the duration only stops new requests, and a running one is bounded
 * by {@code maxTokens} and by the driver's timeout.
 */
public record LoadPlan(int concurrency, int promptTokens, int maxTokens, int warmupRequests, int warmupMaxTokens,
        int requests, Duration duration, int repeats) {

    public LoadPlan {
        require(concurrency >= 1 && concurrency <= 256, "concurrency must be 1 to 256");
        require(promptTokens >= 1, "prompt tokens must be at least 1");
        require(maxTokens >= 1, "max tokens must be at least 1");
        require(warmupRequests >= 0, "warm-up requests must be at least 0");
        require(warmupMaxTokens >= 1, "warm-up max tokens must be at least 1");
        require(requests >= 0 && requests <= 100_000, "requests must be 0 to 100000");
        require(requests > 0 || (duration != null && !duration.isNegative() && !duration.isZero()
                && duration.toHours() < 1), "give requests, or a duration of less than an hour");
        require(repeats >= 1 && repeats <= 100, "repeats must be 1 to 100");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** How a phase is bounded, for reports: "8 requests" or "20 s". */
    public String boundDescription() {
        return requests > 0 ? requests + " requests" : duration.toSeconds() + " s";
    }
}
