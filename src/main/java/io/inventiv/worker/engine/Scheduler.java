package io.inventiv.worker.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission and slots: at most {@code parallel} generations run at once (llama.cpp batches them
 * together, one slot each), the rest wait in a FIFO of at most {@code maxQueue}.
 *
 * <p>Slot workers are platform threads on purpose: the binding blocks inside native code while
 * it waits for a token, and a virtual thread blocked there would pin one of the few carrier
 * threads that serve every HTTP request.
 *
 * <p>One lock guards the queue and the running count, so that {@link #waiting()} and
 * {@link #running()} are consistent with each other at every instant a scrape reads them.
 */
final class Scheduler {
    private final int parallel;
    private final int maxQueue;
    private final GenerationRunner runner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final Deque<Generation> waiting = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private int running;
    private boolean admitting = true;

    Scheduler(int parallel, int maxQueue, GenerationRunner runner) {
        this.parallel = parallel;
        this.maxQueue = maxQueue;
        this.runner = runner;
        for (int slot = 0; slot < parallel; slot++) {
            Thread worker = Thread.ofPlatform().daemon().name("slot-" + slot).unstarted(this::workLoop);
            workers.add(worker);
            worker.start();
        }
    }

    /** Queues the generation, or refuses it when the queue is full or admission has stopped. */
    void admit(Generation generation) {
        lock.lock();
        try {
            if (!admitting) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE,
                        "The server is shutting down and accepts no new requests.", null);
            }
            int freeSlots = parallel - running;
            if (waiting.size() >= maxQueue + Math.max(0, freeSlots)) {
                throw new EngineException(EngineException.Kind.QUEUE_FULL, "The server is overloaded: all "
                        + parallel + " slots are busy and " + waiting.size() + " requests are waiting. "
                        + "Please retry later.", null);
            }
            waiting.addLast(generation);
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Removes a cancelled generation that has not started; a running one stops itself. */
    void cancelWaiting(Generation generation) {
        GenerationEvent aborted = null;
        lock.lock();
        try {
            if (waiting.remove(generation)) {
                aborted = runner.abortedBeforeStart(generation);
                // Counted under the lock, so no scrape sees it gone from the queue but not counted.
                runner.account(generation, aborted);
            }
        } finally {
            lock.unlock();
        }
        if (aborted != null) {
            generation.emit(aborted);
        }
    }

    /** Fraction of the KV cache that live generations hold, 0 to 1. */
    double kvCacheUsage(long capacityTokens) {
        return Math.min(1.0, (double) runner.tokensInSlots() / capacityTokens);
    }

    int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops admitting, then waits up to {@code timeoutMillis} for queued and running work. */
    boolean drain(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            admitting = false;
            while (running > 0 || !waiting.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void workLoop() {
        while (true) {
            Generation next;
            lock.lock();
            try {
                while (waiting.isEmpty()) {
                    workAvailable.awaitUninterruptibly();
                }
                next = waiting.pollFirst();
                running++;
            } finally {
                lock.unlock();
            }
            GenerationEvent last = runner.run(next);
            // Order matters for scrapes: counters first, then the slot is freed, then the client
            // hears the end. So a finished request is never counted as running, nor missing from
            // the counters once it no longer runs.
            runner.account(next, last);
            lock.lock();
            try {
                running--;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
            next.emit(last);
        }
    }
}
