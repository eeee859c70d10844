package io.inventiv.worker.engine.binding;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a model load on a platform thread of its own, which ends when the load does.
 *
 * <p>Why: the binding's library runs llama.cpp's threads with OpenMP (libgomp). While loading,
 * llama.cpp decodes a warm-up batch on the calling thread, and libgomp gives that thread a pool
 * of worker threads that lives as long as the thread. The binding then decodes on its own native
 * thread, which gets a second pool. libgomp counts the threads of both pools, and once they
 * outnumber the CPUs it cuts the busy-wait at each barrier from 300,000 spins to 100. Every one
 * of the hundreds of barriers in a token then puts llama.cpp's threads to sleep on a futex and
 * wakes them again. When the loading thread ends, libgomp frees its pool, and the decoding
 * threads spin as they do in llama-server, where one thread loads and decodes. Measured in
 * docs/BENCHMARKS-HISTORY.md ("OpenMP").
 *
 * <p>The loading thread is also where llama.cpp's threads get their priority. The binding starts
 * its decoding thread from it, and Linux names a new thread after its creator; once the load is
 * done, every thread of that name gets the nice value given here (see {@link ThreadNice}), and
 * the OpenMP workers the decoding thread starts later inherit it. The load itself runs at the
 * caller's priority: it is on the way to "ready", while the server's start runs beside it.
 * Loading at nice 5 had it wait for the JVM's compilers and Helidon's start on 2 cores: start ->
 * ready 2.32-2.90 s against 2.05-2.79 s at nice 0 (6 starts each,
 * docs/BENCHMARKS-HISTORY.md, "Session 12").
 */
public final class LoadingThread {
    private static final System.Logger LOG = System.getLogger(LoadingThread.class.getName());

    private LoadingThread() {
    }

    /**
     * Runs {@code load} on a new thread named {@code name}, waits for it, and returns its result
     * or rethrows its failure. The threads the load started, which bear its name, are then set to
     * nice value {@code nice} (0 = as they are).
     */
    public static <T> T call(String name, int nice, Callable<T> load) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            T loaded = load.call();
            String problem = ThreadNice.applyToThreadsNamedLikeCurrent(nice);
            if (problem != null) {
                LOG.log(System.Logger.Level.WARNING, "llama.cpp's threads keep their priority (LLAMA_NICE=" + nice
                        + " not applied: " + problem + ")");
            }
            return loaded;
        });
        Thread thread = Thread.ofPlatform().name(name).start(task);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join(); // a native load cannot be abandoned halfway: wait for it whatever happens
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
