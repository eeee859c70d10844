package io.inventiv.worker.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a slot thread that has taken its token from the binding out of the next receive call
 * until the other decoding slots have taken theirs, or for at most half a token's time.
 *
 * <p>Why: the binding's receive ({@code server_response::recv} in llama.cpp's server code) waits
 * until the shared result queue is not empty, then looks for its own task's result. Every decode
 * step queues one result per decoding slot. A thread that took its result and comes back while a
 * sibling's result of the same step is still queued finds the queue not empty and loops without
 * sleeping until that sibling has run, on 2 cores at the expense of llama.cpp's own threads
 * (docs/BENCHMARKS.md, "Session 13"). Parked here instead, it costs nothing; the sibling gets the
 * core sooner. The next step's results come one decode later, by when every slot is back.
 *
 * <p>Only decoding slots take part: a slot joins with its first token and leaves when its
 * generation ends. The wait is bounded, so a slot held up elsewhere (a slow client, a pause)
 * delays the others by at most half a token: by then their next results may be queued, and a
 * thread whose result is queued takes it without looping. A slot that comes back after such a
 * timeout counts again in the same step, and one that joins mid-step counts in it: both only
 * end a step early, and the counts realign with the next one. (Not a {@link
 * java.util.concurrent.Phaser}: it throws when a party arrives twice in one phase.)
 */
final class ReceiveBarrier {
    private final long maxWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stepTaken = lock.newCondition();
    private int members;
    private int arrived;
    private long step;

    /** At most 50 ms: a held-up sibling costs the others little. */
    ReceiveBarrier() {
        this(TimeUnit.MILLISECONDS.toNanos(50));
    }

    ReceiveBarrier(long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
    }

    /** A decoding slot's place in the barrier; {@link #leave()} must be called when it ends. */
    final class Member {
        private boolean left;

        /**
         * Called after a token was taken and handled, before the next receive: waits until every
         * other decoding slot has taken its token of the same step, or {@code tokenGapNanos / 2}
         * (at most the barrier's bound) has passed.
         */
        void awaitSiblings(long tokenGapNanos) {
            long waitNanos = Math.min(maxWaitNanos, Math.max(0, tokenGapNanos / 2));
            lock.lock();
            try {
                if (left || members <= 1) {
                    return;
                }
                if (++arrived >= members) {
                    nextStep();
                    return;
                }
                long mine = step;
                while (step == mine && waitNanos > 0) {
                    waitNanos = stepTaken.awaitNanos(waitNanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }

        void leave() {
            lock.lock();
            try {
                if (left) {
                    return;
                }
                left = true;
                members--;
                if (arrived > 0 && arrived >= members) {
                    nextStep(); // the others were waiting for this one only
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Called by a slot thread when its generation's first token was taken. */
    Member join() {
        lock.lock();
        try {
            members++;
        } finally {
            lock.unlock();
        }
        return new Member();
    }

    private void nextStep() {
        step++;
        arrived = 0;
        stepTaken.signalAll();
    }

    /** Slots decoding now; for tests. */
    int members() {
        lock.lock();
        try {
            return members;
        } finally {
            lock.unlock();
        }
    }
}
