package io.inventiv.worker.engine;

import io.inventiv.worker.engine.jni.NativeContext;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Which waiting generation starts in which free slot (decode loop's thread only). A generation
 * goes to the free slot that holds most of its prompt. A later choice of an n &gt; 1 request waits
 * here, out of the queue, until its first choice's prompt is in the KV cache, then copies it.
 * In deterministic mode nothing is reused.
 */
final class SlotAdmission {
    /** Starts a generation in a slot whose first {@code reused} prompt tokens are in place. */
    @FunctionalInterface
    interface Start {
        void start(BatchSlot slot, Generation generation, int reused);
    }

    private final BatchSlot[] slots;
    private final NativeContext context;
    private final Start start;
    private final ArrayDeque<Generation> followers = new ArrayDeque<>();

    SlotAdmission(BatchSlot[] slots, NativeContext context, Start start) {
        this.slots = slots;
        this.context = context;
        this.start = start;
    }

    /** Fills free slots from the queue; {@code alone} (deterministic mode) reuses nothing. */
    void admit(AdmissionQueue queue, boolean alone) {
        for (BatchSlot free = freeSlot(); free != null; free = freeSlot()) {
            Generation next = nextReady(queue);
            if (next == null) {
                return;
            }
            BatchSlot leaderSlot = next.leader() == null || next.isCancelled() || alone ? null
                    : slotOf(next.leader());
            if (leaderSlot != null) {
                context.copySequence(leaderSlot.sequence, free.sequence);
                free.adoptCache(leaderSlot, next.prompt().length());
                start.start(free, next, next.prompt().length() - 1); // the last prompt token again, for logits
                continue;
            }
            int[] prompt = next.prompt().tokens();
            BatchSlot best = free;
            int bestPrefix = -1;
            for (BatchSlot slot : slots) {
                int prefix = slot.isFree() ? slot.commonPrefix(prompt) : -1;
                if (prefix > bestPrefix || (prefix == bestPrefix && slot.lastUsedAt() < best.lastUsedAt())) {
                    best = slot;
                    bestPrefix = prefix;
                }
            }
            start.start(best, next, alone ? 0 : Math.min(bestPrefix, prompt.length - 1));
        }
    }

    /** A ready follower first, then the queue's next; a follower whose first choice is still prefilling waits. */
    private Generation nextReady(AdmissionQueue queue) {
        for (Iterator<Generation> it = followers.iterator(); it.hasNext(); ) {
            Generation follower = it.next();
            if (leaderReady(follower)) {
                it.remove();
                return follower;
            }
        }
        for (Generation next = queue.poll(); next != null; next = queue.poll()) {
            if (next.leader() == null || leaderReady(next)) {
                return next;
            }
            followers.add(next);
        }
        return null;
    }

    private boolean leaderReady(Generation follower) {
        BatchSlot leaderSlot = slotOf(follower.leader());
        return follower.isCancelled() || leaderSlot == null || !leaderSlot.isPrefilling();
    }

    private BatchSlot slotOf(Generation generation) {
        for (BatchSlot slot : slots) {
            if (slot.generation == generation) {
                return slot;
            }
        }
        return null;
    }

    private BatchSlot freeSlot() {
        for (BatchSlot slot : slots) {
            if (slot.isFree()) {
                return slot;
            }
        }
        return null;
    }
}
