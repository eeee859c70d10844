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
        super(new AdmissionQueue(parallel, maxQueue, listener));
        this.runner = runner;
        for (int slot = 0; slot < parallel; slot++) {
            Thread worker = Thread.ofPlatform().daemon().name("slot-" + slot).unstarted(this::workLoop);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    long tokensInSlots() {
        return runner.tokensInSlots();
    }

    private void workLoop() {
        while (true) {
            Generation next = queue.take();
            queue.finish(next, runner.run(next));
        }
    }
}
