package io.inventiv.worker.api;

import io.inventiv.worker.config.LatencySettings;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/** Holds one response's pieces back until their {@link LatencySettings} targets; one per request. */
final class LatencyShaper {
    /** A piece this much past its target counts as behind it (scheduling noise is not). */
    private static final long LATE_AFTER_NANOS = 2_000_000;

    private final LatencySettings settings;
    private final double factor;
    private long dueAt;

    LatencyShaper(LatencySettings settings, long arrivedAtNanos, int promptTokens, int running) {
        this.settings = settings;
        this.factor = 1 + settings.loadFactor() * running;
        this.dueAt = arrivedAtNanos + nanos(draw(settings.ttftMs(), settings.ttftStdMs())
                + settings.prefillPerTokenMs() * promptTokens);
    }

    /** Waits until the next piece is due; true when real inference was already later than its target. */
    boolean awaitTurn() {
        long now = System.nanoTime();
        boolean late = now > dueAt + LATE_AFTER_NANOS;
        while (!late && (now = System.nanoTime()) < dueAt) {
            LockSupport.parkNanos(dueAt - now);
        }
        dueAt = Math.max(now, dueAt) + nanos(draw(settings.itlMs(), settings.itlStdMs()));
        return late;
    }

    private long nanos(double millis) {
        return (long) (millis * factor * 1_000_000);
    }

    private static double draw(double mean, double std) {
        return std == 0 ? mean : Math.max(0, mean + std * ThreadLocalRandom.current().nextGaussian());
    }
}
