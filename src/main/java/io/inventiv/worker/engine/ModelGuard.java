package io.inventiv.worker.engine;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps the model alive while calls use it. A close waits for the calls in progress, and a call
 * after it is a 503, never a use of freed native memory.
 */
final class ModelGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    <T> T call(Supplier<T> work) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE,
                        "The model is sleeping: POST /wake_up loads it again.", null);
            }
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code release} once, when no call is in progress; later calls are refused. */
    void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                release.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
