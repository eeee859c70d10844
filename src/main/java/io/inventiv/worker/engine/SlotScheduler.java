package io.inventiv.worker.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What an engine's scheduler does with admitted generations. Admission is common (one
 * {@link AdmissionQueue}); each engine runs its slots its own way: a thread per slot over the
 * binding, one decode loop over our native layer.
 */
abstract class SlotScheduler {
    protected final AdmissionQueue queue;
    /** Which generation each slot serves, for the status page; written by the slots' threads. */
    private final AtomicReferenceArray<Generation> board;
    /** Read at every step, so the admin API can switch it while the server runs. */
    protected volatile boolean deterministic;

    protected SlotScheduler(AdmissionQueue queue, int parallel, boolean deterministic) {
        this.queue = queue;
        this.board = new AtomicReferenceArray<>(parallel);
        this.deterministic = deterministic;
    }

    /** Records that slot {@code index} serves {@code generation} now, or nothing (null). */
    protected final void occupy(int index, Generation generation) {
        board.set(index, generation);
    }

    /** Every slot, in order, as it is at this instant. */
    final List<SlotStatus> slots() {
        List<SlotStatus> slots = new ArrayList<>(board.length());
        for (int i = 0; i < board.length(); i++) {
            slots.add(SlotStatus.of(i, board.get(i)));
        }
        return slots;
    }

    /** Whether this scheduler can decode each slot alone (deterministic mode). */
    abstract boolean supportsDeterministic();

    final void deterministic(boolean on) {
        deterministic = on;
    }

    final boolean deterministic() {
        return deterministic;
    }

    /** Stops the slots' threads once drained, so the model can be freed; returns when they are gone. */
    abstract void stop() throws InterruptedException;

    /** Tokens that running generations hold in the KV cache: each slot's prompt and output so far. */
    final long tokensInSlots() {
        long tokens = 0;
        for (int i = 0; i < board.length(); i++) {
            Generation generation = board.get(i);
            tokens += generation == null ? 0 : generation.heldTokens();
        }
        return tokens;
    }

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

    /** Admits again after a {@link #drain} that was given up. */
    final void resumeAdmitting() {
        queue.resumeAdmitting();
    }

    /** Stops admitting and waits for accepted work; false if it did not finish in time. */
    final boolean drain(long timeoutMillis) throws InterruptedException {
        return queue.drain(timeoutMillis);
    }
}
