package io.inventiv.worker.engine.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The load runs on a thread of its own that has ended when the call returns, and failures come back unchanged. */
class LoadingThreadTest {
    @Test
    void runsOnAThreadThatHasEndedByTheTimeItReturns() throws Exception {
        AtomicReference<Thread> loader = new AtomicReference<>();
        String result = LoadingThread.call("model-load", 0, () -> {
            loader.set(Thread.currentThread());
            return "loaded";
        });
        assertEquals("loaded", result);
        assertNotSame(Thread.currentThread(), loader.get());
        assertEquals("model-load", loader.get().getName());
        assertFalse(loader.get().isVirtual(), "native code must not pin a carrier thread");
        assertFalse(loader.get().isAlive(), "the thread's OpenMP pool is freed only when the thread ends");
    }

    @Test
    void failuresAreRethrownAsTheyWere() {
        IllegalStateException runtime = new IllegalStateException("could not load model");
        assertSame(runtime, assertThrows(IllegalStateException.class, () -> LoadingThread.call("l", 0, () -> {
            throw runtime;
        })));
        IOException checked = new IOException("no such file");
        assertSame(checked, assertThrows(IOException.class, () -> LoadingThread.call("l", 0, () -> {
            throw checked;
        })));
        UnsatisfiedLinkError error = new UnsatisfiedLinkError("libgomp.so.1");
        assertSame(error, assertThrows(UnsatisfiedLinkError.class, () -> LoadingThread.call("l", 0, () -> {
            throw error;
        })));
    }

    @Test
    void theLoadRunsAtTheCallersPriorityAndTheThreadsItStartedGetTheNiceValue() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "per-thread nice values are read from Linux's /proc");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "renice (util-linux) sets them");
        int callerNice = ThreadNice.currentThreadNice();
        CountDownLatch loaded = new CountDownLatch(1);
        AtomicReference<Path> decoder = new AtomicReference<>();
        AtomicInteger workerNice = new AtomicInteger(-100);
        Thread[] decoding = new Thread[1];
        int loadNice = LoadingThread.call("test-load", 5, () -> {
            // As the binding starts its decoding thread: Linux gives it the loading thread's name.
            // Java names its threads itself, so the stand-in takes the name explicitly.
            decoding[0] = Thread.ofPlatform().name("test-load").start(() -> {
                try {
                    decoder.set(Path.of("/proc/thread-self").toRealPath());
                    loaded.await();
                    // As llama.cpp's OpenMP workers are started at the first decode, after the load.
                    Thread worker = Thread.ofPlatform().start(() -> {
                        try {
                            workerNice.set(ThreadNice.currentThreadNice());
                        } catch (IOException e) {
                            workerNice.set(-200);
                        }
                    });
                    worker.join();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (decoder.get() == null) {
                Thread.onSpinWait();
            }
            return ThreadNice.currentThreadNice();
        });
        int decoderNice = ThreadNice.niceOf(decoder.get());
        loaded.countDown();
        decoding[0].join();
        assertEquals(callerNice, loadNice, "the load runs at the caller's priority, on the way to ready");
        assertEquals(5, decoderNice, "the thread the load started gets the nice value once the load is done");
        assertEquals(5, workerNice.get(), "and the threads it starts later inherit it");
        assertEquals(callerNice, ThreadNice.currentThreadNice(), "the caller keeps its own");
    }

    @Test
    void anInterruptWhileLoadingWaitsForTheLoadAndIsKept() throws Exception {
        Thread caller = Thread.currentThread();
        String result = LoadingThread.call("l", 0, () -> {
            caller.interrupt();
            Thread.sleep(50);
            return "done";
        });
        assertEquals("done", result);
        assertTrue(Thread.interrupted(), "the caller's interrupt is restored (and cleared here)");
    }
}
