package io.inventiv.worker.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the consumer of every generation that has been silent for {@link #QUIET_MILLIS}, with a
 * {@link GenerationEvent.Quiet}, so that it can probe its client while the request waits for a
 * slot or its prompt is evaluated. One thread does it for all generations, 4 times a second and
 * only while one is watched, because a timed wait per token would wake the JDK's delay scheduler
 * about twice per token, each wake-up taken from llama.cpp's threads (docs/DECISIONS.md, "Quiet
 * ticker"). So a silent generation is noticed after 250 to 500 ms.
 */
final class QuietTicker {
    static final long QUIET_MILLIS = 250;
    private static final long TICK_MILLIS = QUIET_MILLIS;
    private static final QuietTicker SHARED = new QuietTicker();

    private final Set<Generation> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "quiet-ticker");
        thread.setDaemon(true);
        return thread;
    });
    /** The periodic tick while any generation is watched; null otherwise. Guarded by this. */
    private ScheduledFuture<?> ticking;

    private QuietTicker() {
    }

    /** Watches a generation until it has ended; it is dropped at the first tick after that. */
    static void watch(Generation generation) {
        SHARED.add(generation);
    }

    /** Whether the ticker is armed; it is not while no generation is watched. */
    static boolean isTicking() {
        synchronized (SHARED) {
            return SHARED.ticking != null;
        }
    }

    private synchronized void add(Generation generation) {
        watched.add(generation);
        if (ticking == null) {
            ticking = timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        watched.removeIf(generation -> !generation.nudgeIfQuiet(now, quietNanos));
        synchronized (this) { // add() holds the same lock, so a generation added meanwhile keeps it ticking
            if (watched.isEmpty() && ticking != null) {
                ticking.cancel(false);
                ticking = null;
            }
        }
    }
}
