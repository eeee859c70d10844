package io.inventiv.worker.engine.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The load runs on a thread of its own that has ended when the call returns, and failures come back unchanged. */
class LoadingThreadTest {
    @Test
    void runsOnAThreadThatHasEndedByTheTimeItReturns() throws Exception {
        AtomicReference<Thread> loader = new AtomicReference<>();
        String result = LoadingThread.call("model-load", () -> {
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
        assertSame(runtime, assertThrows(IllegalStateException.class, () -> LoadingThread.call("l", () -> {
            throw runtime;
        })));
        IOException checked = new IOException("no such file");
        assertSame(checked, assertThrows(IOException.class, () -> LoadingThread.call("l", () -> {
            throw checked;
        })));
        UnsatisfiedLinkError error = new UnsatisfiedLinkError("libgomp.so.1");
        assertSame(error, assertThrows(UnsatisfiedLinkError.class, () -> LoadingThread.call("l", () -> {
            throw error;
        })));
    }

    @Test
    void anInterruptWhileLoadingWaitsForTheLoadAndIsKept() throws Exception {
        Thread caller = Thread.currentThread();
        String result = LoadingThread.call("l", () -> {
            caller.interrupt();
            Thread.sleep(50);
            return "done";
        });
        assertEquals("done", result);
        assertTrue(Thread.interrupted(), "the caller's interrupt is restored (and cleared here)");
    }
}
