package io.inventiv.worker.api;

/** What vLLM's dev-mode sleep endpoints do to the model; the server's wiring implements it. */
public interface ModelSleep {
    /**
     * Stops admitting, lets accepted requests finish, then frees the model and the KV cache.
     * Level 1 and 2 free the same here: the weights are a mapped file, read again on wake.
     */
    void sleep(int level);

    /** Loads the model again; returns once it serves. A no-op when awake. */
    void wakeUp();

    boolean isSleeping();
}
