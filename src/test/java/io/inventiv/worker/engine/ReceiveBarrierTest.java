package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The barriers here wait up to a minute, so that a thread still waiting after a few seconds can
 * only be one the barrier holds: no assertion depends on how fast this machine is.
 */
class ReceiveBarrierTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long TWO_MINUTE_GAP = 2 * MINUTE;

    private static Thread awaitOnAnotherThread(ReceiveBarrier.Member member, AtomicBoolean released) {
        CountDownLatch started = new CountDownLatch(1);
        Thread slot = Thread.ofPlatform().daemon().start(() -> {
            started.countDown();
            member.awaitSiblings(TWO_MINUTE_GAP);
            released.set(true);
        });
        try {
            started.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return slot;
    }

    @Test
    void aLoneSlotNeverWaits() {
        ReceiveBarrier barrier = new ReceiveBarrier(MINUTE);
        ReceiveBarrier.Member only = barrier.join();
        for (int i = 0; i < 1000; i++) {
            only.awaitSiblings(TWO_MINUTE_GAP); // a wait would last a minute and time the test out
        }
        only.leave();
        assertEquals(0, barrier.members());
    }

    @Test
    void aSlotWaitsUntilItsSiblingHasTakenItsToken() throws Exception {
        ReceiveBarrier barrier = new ReceiveBarrier(MINUTE);
        ReceiveBarrier.Member first = barrier.join();
        ReceiveBarrier.Member second = barrier.join();
        AtomicBoolean released = new AtomicBoolean();
        Thread slot = awaitOnAnotherThread(first, released);
        slot.join(TimeUnit.SECONDS.toMillis(2));
        assertFalse(released.get(), "held while the sibling has not taken its token");
        second.awaitSiblings(TWO_MINUTE_GAP); // the sibling arrives: both go on
        slot.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(released.get());
        first.leave();
        second.leave();
    }

    /** How long one slot waits, with a token gap of {@code gapNanos}, for a sibling that never comes. */
    private static long oneWaitForAHeldUpSibling(ReceiveBarrier barrier, long gapNanos) {
        ReceiveBarrier.Member waiting = barrier.join();
        ReceiveBarrier.Member heldUp = barrier.join(); // never arrives
        long start = System.nanoTime();
        waiting.awaitSiblings(gapNanos);
        long waited = System.nanoTime() - start;
        heldUp.leave();
        waiting.leave();
        return waited;
    }

    @Test
    void theWaitIsAtMostHalfTheTokenGap() {
        long waited = oneWaitForAHeldUpSibling(new ReceiveBarrier(MINUTE), TimeUnit.MILLISECONDS.toNanos(40));
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(20), "waited " + waited + " ns");
        assertTrue(waited < MINUTE / 2, "bounded by the gap, not the barrier's minute: " + waited + " ns");
    }

    @Test
    void theDefaultBoundIsFiftyMilliseconds() {
        long waited = oneWaitForAHeldUpSibling(new ReceiveBarrier(), TWO_MINUTE_GAP);
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50), "waited " + waited + " ns");
        assertTrue(waited < MINUTE / 2, "not half the gap: " + waited + " ns");
    }

    @Test
    void aSiblingThatLeavesReleasesTheOthers() throws Exception {
        ReceiveBarrier barrier = new ReceiveBarrier(MINUTE);
        ReceiveBarrier.Member staying = barrier.join();
        ReceiveBarrier.Member ending = barrier.join();
        AtomicBoolean released = new AtomicBoolean();
        Thread slot = awaitOnAnotherThread(staying, released);
        slot.join(TimeUnit.SECONDS.toMillis(1));
        assertFalse(released.get());
        ending.leave();
        ending.leave(); // twice is harmless
        slot.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(released.get(), "the generation that ended no longer holds the others");
        assertEquals(1, barrier.members());
        staying.leave();
        assertEquals(0, barrier.members());
        ReceiveBarrier.Member next = barrier.join(); // still usable after the last slot left
        next.awaitSiblings(TWO_MINUTE_GAP);
        next.leave();
    }
    @Test
    void aSlotThatTimedOutMayArriveAgainInTheSameStep() {
        ReceiveBarrier barrier = new ReceiveBarrier(MINUTE);
        ReceiveBarrier.Member waiting = barrier.join();
        ReceiveBarrier.Member heldUp = barrier.join();
        waiting.awaitSiblings(TimeUnit.MILLISECONDS.toNanos(2)); // times out after 1 ms
        waiting.awaitSiblings(TWO_MINUTE_GAP); // counts again: the step ends, no wait, no error
        heldUp.awaitSiblings(TimeUnit.MILLISECONDS.toNanos(2)); // realigned: a new step, times out
        heldUp.leave();
        waiting.leave();
        assertEquals(0, barrier.members());
    }

    @Test
    void slotsComingAndGoingNeverFailNorHang() throws Exception {
        ReceiveBarrier barrier = new ReceiveBarrier();
        List<Thread> slots = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int s = 0; s < 4; s++) {
            slots.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int generation = 0; generation < 20; generation++) {
                        ReceiveBarrier.Member member = barrier.join();
                        int tokens = ThreadLocalRandom.current().nextInt(1, 40);
                        for (int token = 0; token < tokens; token++) {
                            member.awaitSiblings(ThreadLocalRandom.current().nextLong(0, 2_000_000));
                        }
                        member.leave();
                    }
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
            }));
        }
        for (Thread slot : slots) {
            slot.join(TimeUnit.MINUTES.toMillis(1));
            assertFalse(slot.isAlive(), "a slot thread hangs");
        }
        assertEquals(0, failures.get());
        assertEquals(0, barrier.members());
    }
}
