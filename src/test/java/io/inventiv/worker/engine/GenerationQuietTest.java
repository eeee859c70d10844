package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.engine.SamplingParams;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The consumer of a silent generation is woken with Quiet events, one per quiet period and never
 * piling up, and never again once the generation has ended.
 */
class GenerationQuietTest {
    private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(Generation.QUIET_MILLIS);

    private static Generation generation() {
        return new Generation("test", new PreparedPrompt(new int[] {1, 2}),
                new SamplingParams(4, 0, 1, 1, 0, 0, 0, 1, true, null), List.of(), null);
    }

    @Test
    void aSilentGenerationGetsOneQuietPerPeriod() throws Exception {
        Generation generation = generation();
        long start = generation.queuedAtNanos();
        assertTrue(generation.nudgeIfQuiet(start + QUIET / 2, QUIET));
        assertTrue(generation.nudgeIfQuiet(start + QUIET, QUIET));
        assertTrue(generation.nudgeIfQuiet(start + QUIET + 1, QUIET), "too soon after the last one");
        assertSame(GenerationEvent.QUIET, generation.next());
        assertTrue(generation.nudgeIfQuiet(start + 2 * QUIET, QUIET));
        assertSame(GenerationEvent.QUIET, generation.next());
        assertNull(pollBriefly(generation), "exactly one Quiet per period");
    }

    @Test
    void quietNeverPilesUpBehindAnUnreadEvent() throws Exception {
        Generation generation = generation();
        generation.emit(new GenerationEvent.Delta("x"));
        long later = System.nanoTime() + 10 * QUIET;
        generation.nudgeIfQuiet(later, QUIET);
        assertInstanceOf(GenerationEvent.Delta.class, generation.next());
        assertNull(pollBriefly(generation), "the consumer had something to read; no Quiet was due");
    }

    @Test
    void anEndedGenerationIsDroppedAndGetsNoQuiet() throws Exception {
        Generation generation = generation();
        generation.emit(new GenerationEvent.Failed("boom"));
        assertFalse(generation.nudgeIfQuiet(System.nanoTime() + 10 * QUIET, QUIET));
        assertInstanceOf(GenerationEvent.Failed.class, generation.next());
        assertNull(pollBriefly(generation));
    }

    @Test
    void theSharedTickerWakesARealConsumer() throws Exception {
        Generation generation = generation();
        QuietTicker.watch(generation);
        long start = System.nanoTime();
        assertSame(GenerationEvent.QUIET, generation.next());
        assertTrue(System.nanoTime() - start >= QUIET / 2, "woken only after a quiet period");
        generation.emit(new GenerationEvent.Failed("done"));
        assertEquals(GenerationEvent.Failed.class, generation.next().getClass());
    }

    @Test
    void theTickerStopsOnceNoGenerationIsWatchedAndStartsAgainWithTheNext() throws Exception {
        Generation first = generation();
        QuietTicker.watch(first);
        assertTrue(QuietTicker.isTicking());
        first.emit(new GenerationEvent.Failed("done")); // ended: dropped at the next tick
        assertEquals(GenerationEvent.Failed.class, first.next().getClass());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (QuietTicker.isTicking() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(QuietTicker.isTicking(), "an idle server's ticker does not wake");

        Generation second = generation();
        QuietTicker.watch(second);
        assertTrue(QuietTicker.isTicking());
        assertSame(GenerationEvent.QUIET, second.next(), "and the next generation is nudged again");
        second.emit(new GenerationEvent.Failed("done"));
    }

    /** next() on another thread, given up after a short wait: null when nothing was queued. */
    /** The next event if one comes within 50 ms, else null. */
    static GenerationEvent pollBriefly(Generation generation) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<GenerationEvent> event = reader.submit(generation::next);
            try {
                return event.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                event.cancel(true);
                return null;
            }
        } finally {
            reader.shutdownNow();
        }
    }
}
