package io.inventiv.worker.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The binding engine's slots: one worker thread per slot, each driving one generation at a time
 * through the binding, which batches the slots together inside llama.cpp.
 *
 * <p>Slot workers are platform threads on purpose: the binding blocks inside native code while
 * it waits for a token, and a virtual thread blocked there would pin one of the few carrier
 * threads that serve every HTTP request.
 */
final class ThreadPerSlotScheduler extends SlotScheduler {
    private final GenerationRunner runner;
    private final List<Thread> workers = new ArrayList<>();

    ThreadPerSlotScheduler(int parallel, int maxQueue, GenerationRunner runner, EngineListener listener) {
        super(new AdmissionQueue(parallel, maxQueue, listener), parallel, false);
        this.runner = runner;
        for (int slot = 0; slot < parallel; slot++) {
            int index = slot;
            Thread worker = Thread.ofPlatform().daemon().name("slot-" + slot).unstarted(() -> workLoop(index));
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    boolean supportsDeterministic() {
        return false; // the binding batches slots inside llama.cpp, out of our reach
    }

    @Override
    void stop() throws InterruptedException {
        queue.stop();
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private void workLoop(int slot) {
        for (Generation next = queue.take(); next != null; next = queue.take()) {
            occupy(slot, next);
            GenerationEvent last = runner.run(next);
            occupy(slot, null);
            queue.finish(next, last);
        }
    }
}
