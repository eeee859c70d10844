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
    void threadsStartedByTheLoadInheritItsNiceValue() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "per-thread nice values are read from Linux's /proc");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "renice (util-linux) sets them");
        int callerNice = ThreadNice.currentThreadNice();
        int[] seen = LoadingThread.call("model-load", 5, () -> {
            int[] child = new int[1];
            // As the binding's decoding thread and llama.cpp's OpenMP workers are started.
            Thread started = Thread.ofPlatform().start(() -> {
                try {
                    child[0] = ThreadNice.currentThreadNice();
                } catch (IOException e) {
                    child[0] = -100;
                }
            });
            started.join();
            return new int[] {ThreadNice.currentThreadNice(), child[0]};
        });
        assertEquals(5, seen[0], "the loading thread runs at the nice value given");
        assertEquals(5, seen[1], "and a thread it starts inherits it");
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
