package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.engine.binding.NativeSampling;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A streamed generation's text goes from the slot thread straight to its sink, until one write is
 * slow or fails; from then on it is queued for the serving thread, in order. A write blocked in
 * the sink is reported to the sink, and the serving thread gets no Quiet meanwhile.
 */
class GenerationDirectWriteTest {
    /** Records what it is given; the first {@code slowWrites} writes take longer than the limit. */
    private static final class RecordingSink implements DeltaSink {
        final List<String> written = new CopyOnWriteArrayList<>();
        final AtomicLong longestBlock = new AtomicLong();
        int slowWrites;
        boolean clientGone;

        @Override
        public boolean write(String text) {
            if (clientGone) {
                return false;
            }
            written.add(text);
            if (slowWrites > 0) {
                slowWrites--;
                sleep(Generation.SLOW_WRITE_MILLIS + 50);
            }
            return true;
        }

        @Override
        public void blocked(long blockedNanos) {
            longestBlock.accumulateAndGet(blockedNanos, Math::max);
        }
    }

    private static Generation generation(DeltaSink sink) {
        // A scheduler without slots: cancel() finds nothing queued, as for a running generation.
        return new Generation("test", new PreparedPrompt(new int[] {1, 2}),
                new NativeSampling(4, 0, 1, 1, 0, 0, 0, 1, true, null), List.of(), new Scheduler(0, 0, null), sink);
    }

    @Test
    void textGoesToTheSinkAndWakesNobody() throws Exception {
        RecordingSink sink = new RecordingSink();
        Generation generation = generation(sink);
        generation.emitText("Hello");
        generation.emitText(" world");
        assertEquals(List.of("Hello", " world"), sink.written);
        assertNull(GenerationQuietTest.pollBriefly(generation), "the serving thread had nothing to do");
    }

    @Test
    void afterOneSlowWriteTheRestIsHandedOffInOrder() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.slowWrites = 1;
        Generation generation = generation(sink);
        generation.emitText("a");
        generation.emitText("b");
        generation.emitText("c");
        assertEquals(List.of("a"), sink.written, "only the slow write went to the sink");
        assertEquals(new GenerationEvent.Delta("b"), generation.next());
        assertEquals(new GenerationEvent.Delta("c"), generation.next());
    }

    @Test
    void aClientGoneCancelsTheGeneration() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.clientGone = true;
        Generation generation = generation(sink);
        generation.emitText("a");
        assertTrue(generation.isCancelled(), "the slot thread stops before its next token");
        generation.emitText("b");
        assertEquals(new GenerationEvent.Delta("b"), generation.next(), "no second write to a gone client");
    }

    @Test
    void aBlockedWriteIsReportedToTheSinkAndNoQuietIsQueued() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink reports = new RecordingSink();
        DeltaSink blocking = new DeltaSink() {
            @Override
            public boolean write(String text) {
                entered.countDown();
                await(release);
                return true;
            }

            @Override
            public void blocked(long blockedNanos) {
                reports.blocked(blockedNanos);
            }
        };
        Generation generation = generation(blocking);
        Thread slot = Thread.ofPlatform().start(() -> generation.emitText("stuck"));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        long quiet = TimeUnit.MILLISECONDS.toNanos(Generation.QUIET_MILLIS);
        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        assertTrue(generation.nudgeIfQuiet(later, quiet));
        assertTrue(reports.longestBlock.get() >= TimeUnit.SECONDS.toNanos(5), "the sink heard how long");
        assertNull(GenerationQuietTest.pollBriefly(generation), "no Quiet: the serving thread could not write meanwhile");
        release.countDown();
        slot.join();
        reports.longestBlock.set(0);
        generation.nudgeIfQuiet(System.nanoTime(), quiet);
        assertEquals(0, reports.longestBlock.get(), "a finished write is not reported");
    }

    @Test
    void aWriteThatThrowsLeavesNoBlockedWriteBehind() {
        AtomicLong reported = new AtomicLong(-1);
        Generation generation = generation(new DeltaSink() {
            @Override
            public boolean write(String text) {
                throw new IllegalStateException("broken response");
            }

            @Override
            public void blocked(long blockedNanos) {
                reported.set(blockedNanos);
            }
        });
        assertThrows(IllegalStateException.class, () -> generation.emitText("a"));
        generation.nudgeIfQuiet(System.nanoTime() + TimeUnit.SECONDS.toNanos(60), 1);
        assertEquals(-1, reported.get(), "the failed write is over, not blocked");
    }

    @Test
    void withoutASinkEveryTextIsAnEvent() throws Exception {
        Generation generation = generation(null);
        generation.emitText("a");
        assertEquals(new GenerationEvent.Delta("a"), generation.next());
        assertFalse(generation.isCancelled());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
