package io.inventiv.worker.engine;

/**
 * What an engine's scheduler does with admitted generations. Admission is common (one
 * {@link AdmissionQueue}); each engine runs its slots its own way: a thread per slot over the
 * binding, one decode loop over our native layer.
 */
abstract class SlotScheduler {
    protected final AdmissionQueue queue;

    protected SlotScheduler(AdmissionQueue queue) {
        this.queue = queue;
    }

    /** Tokens that running generations hold in the KV cache. */
    abstract long tokensInSlots();

    /** Queues the generation, or throws {@link EngineException} when it cannot be accepted. */
    final void admit(Generation generation) {
        queue.admit(generation);
    }

    /** Ends a cancelled generation that still waits; a running one stops at its next step. */
    final void cancelWaiting(Generation generation) {
        queue.cancelWaiting(generation);
    }

    final int running() {
        return queue.running();
    }

    final int waiting() {
        return queue.waiting();
    }

    /** Stops admitting and waits for accepted work; false if it did not finish in time. */
    final boolean drain(long timeoutMillis) throws InterruptedException {
        return queue.drain(timeoutMillis);
    }
}
