package io.inventiv.worker.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission, shared by both engines: at most {@code parallel} generations hold a slot, the rest
 * wait in a FIFO of at most {@code maxQueue}; beyond that a request is refused.
 *
 * <p>One lock guards the queue and the running count, so that {@link #waiting()} and
 * {@link #running()} are consistent with each other at every instant a scrape reads them.
 */
final class AdmissionQueue {
    private final int parallel;
    private final int maxQueue;
    private final EngineListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final Deque<Generation> waiting = new ArrayDeque<>();
    private int running;
    private boolean admitting = true;
    /** Set once the engine closes: the slots' threads leave their loops. */
    private boolean stopped;

    AdmissionQueue(int parallel, int maxQueue, EngineListener listener) {
        this.parallel = parallel;
        this.maxQueue = maxQueue;
        this.listener = listener;
    }

    /** Queues the generation, or refuses it when the queue is full or admission has stopped. */
    void admit(Generation generation) {
        lock.lock();
        try {
            if (!admitting) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE,
                        "The server accepts no new requests now: it is shutting down or going to sleep.", null);
            }
            int freeSlots = parallel - running;
            if (waiting.size() >= maxQueue + Math.max(0, freeSlots)) {
                throw new EngineException(EngineException.Kind.QUEUE_FULL, "The server is overloaded: all "
                        + parallel + " slots are busy and " + waiting.size() + " requests are waiting. "
                        + "Please retry later.", null);
            }
            waiting.addLast(generation);
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes a cancelled generation that has not started and ends it; a running one ends itself. */
    void cancelWaiting(Generation generation) {
        GenerationResult aborted = null;
        lock.lock();
        try {
            if (waiting.remove(generation)) {
                aborted = GenerationResult.abortedWhileWaiting(generation);
                // Counted under the lock, so no scrape sees it gone from the queue but not counted.
                listener.onFinished(generation, aborted);
            }
        } finally {
            lock.unlock();
        }
        if (aborted != null) {
            generation.emit(new GenerationEvent.Finished(aborted));
        }
    }

    /** The next waiting generation, now counted as running; blocks while none waits; null once stopped. */
    Generation take() {
        lock.lock();
        try {
            while (waiting.isEmpty() && !stopped) {
                workAvailable.awaitUninterruptibly();
            }
            if (waiting.isEmpty()) {
                return null;
            }
            running++;
            return waiting.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** The next waiting generation, now counted as running, or null when none waits. */
    Generation poll() {
        lock.lock();
        try {
            Generation next = waiting.pollFirst();
            if (next != null) {
                running++;
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until a generation waits; false once stopped. */
    boolean awaitWork() {
        lock.lock();
        try {
            while (waiting.isEmpty() && !stopped) {
                workAvailable.awaitUninterruptibly();
            }
            return !stopped;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the slots' threads for good; called after a drain, when nothing waits or runs. */
    void stop() {
        lock.lock();
        try {
            admitting = false;
            stopped = true;
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Admits again after a drain that was given up (a sleep that did not happen). */
    void resumeAdmitting() {
        lock.lock();
        try {
            if (!stopped) {
                admitting = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a running generation. Order matters for scrapes: counters first, then the slot is freed,
     * then the client hears the end. So a finished request is never counted as running, nor missing
     * from the counters once it no longer runs.
     */
    void finish(Generation generation, GenerationEvent last) {
        if (last instanceof GenerationEvent.Finished finished) {
            listener.onFinished(generation, finished.result());
        }
        lock.lock();
        try {
            running--;
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        generation.emit(last);
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
}
