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
    private final long arrivedAt;
    private long dueAt;
    /** When the piece would be due had every earlier one met its target: the schedule. */
    private long scheduledAt;
    private long releasedAt;
    private boolean behind;
    private boolean behindSchedule;

    LatencyShaper(LatencySettings settings, long arrivedAtNanos, int promptTokens, int running) {
        this.settings = settings;
        this.factor = 1 + settings.loadFactor() * running;
        this.arrivedAt = arrivedAtNanos;
        this.dueAt = arrivedAtNanos + nanos(draw(settings.ttftMs(), settings.ttftStdMs())
                + settings.prefillPerTokenMs() * promptTokens);
        this.scheduledAt = dueAt;
    }

    /** Waits until the next piece is due; true when real inference was already later than its target. */
    boolean awaitTurn() {
        long now = System.nanoTime();
        boolean late = now > dueAt + LATE_AFTER_NANOS;
        behindSchedule = now > scheduledAt + LATE_AFTER_NANOS;
        while (!late && (now = System.nanoTime()) < dueAt) {
            LockSupport.parkNanos(dueAt - now);
        }
        long gap = nanos(draw(settings.itlMs(), settings.itlStdMs()));
        dueAt = Math.max(now, dueAt) + gap;
        scheduledAt += gap;
        return late;
    }

    /** When the request arrived. */
    long arrivedAt() {
        return arrivedAt;
    }

    /** Notes a piece released now; returns when the one before it was released, or 0 for the first. */
    long released(long now) {
        long previous = releasedAt;
        releasedAt = now;
        return previous;
    }

    /**
     * Whether the last piece came later than the schedule the targets set from the request's
     * arrival (pieces that queued up behind a slow one do not catch up); true when that changed.
     */
    boolean updateBehind() {
        boolean changed = behindSchedule != behind;
        behind = behindSchedule;
        return changed;
    }

    boolean isBehind() {
        return behind;
    }

    private long nanos(double millis) {
        return (long) (millis * factor * 1_000_000);
    }

    private static double draw(double mean, double std) {
        return std == 0 ? mean : Math.max(0, mean + std * ThreadLocalRandom.current().nextGaussian());
    }
}
