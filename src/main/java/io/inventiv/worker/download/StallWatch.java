package io.inventiv.worker.download;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * Closes a stream that has delivered nothing for too long. A half-dead connection otherwise
 * blocks a read forever (the client's timeout covers only the response headers), which would
 * hang a Docker build; closing the stream makes the blocked read fail, as a cut would.
 */
final class StallWatch implements AutoCloseable {
    private final Closeable stream;
    private final long timeoutNanos;
    private final Thread watcher;
    private volatile long lastDataNanos = System.nanoTime();
    private volatile boolean stalled;

    StallWatch(Closeable stream, Duration timeout) {
        this.stream = stream;
        this.timeoutNanos = timeout.toNanos();
        long checkMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        this.watcher = Thread.ofPlatform().daemon().name("download-stall-watch").start(() -> watch(checkMillis));
    }

    /** Data arrived. */
    void touch() {
        lastDataNanos = System.nanoTime();
    }

    /** Whether the stream was closed because it stalled. */
    boolean stalled() {
        return stalled;
    }

    private void watch(long checkMillis) {
        try {
            while (System.nanoTime() - lastDataNanos < timeoutNanos) {
                Thread.sleep(checkMillis);
            }
            stalled = true;
            stream.close();
        } catch (InterruptedException e) {
            // The transfer ended first.
        } catch (IOException e) {
            // Closing is all we wanted; the blocked read fails either way.
        }
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
