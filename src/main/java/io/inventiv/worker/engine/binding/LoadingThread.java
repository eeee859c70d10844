package io.inventiv.worker.engine.binding;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a model load on a platform thread of its own, which ends when the load does.
 *
 * <p>Why: llama.cpp's warm-up decode gives the loading thread an OpenMP (libgomp) pool for the
 * thread's life, and beside the decoding thread's own pool that makes more threads than CPUs, so
 * libgomp would put llama.cpp's threads to sleep at every barrier instead of spinning; the pool
 * goes when its thread ends (docs/DECISIONS.md, "Load on a thread that ends").
 *
 * <p>The loading thread is also where llama.cpp's threads get their priority. The binding starts
 * its decoding thread from it, and Linux names a new thread after its creator; once the load is
 * done, every thread of that name gets the nice value given here (see {@link ThreadNice}), and
 * the OpenMP workers the decoding thread starts later inherit it. The load itself runs at the
 * caller's priority, since it is on the way to "ready"
 * (docs/DECISIONS.md, "Nice value of llama.cpp threads").
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
