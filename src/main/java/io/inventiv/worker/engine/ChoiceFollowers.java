package io.inventiv.worker.engine;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Later choices of n &gt; 1 requests: taken from the queue, they wait here (decode loop's thread
 * only) until their first choice's prompt is in the KV cache, or until that choice has ended.
 */
final class ChoiceFollowers {
    private final ArrayDeque<Generation> waiting = new ArrayDeque<>();
    private final Function<Generation, BatchSlot> slotOf;

    ChoiceFollowers(Function<Generation, BatchSlot> slotOf) {
        this.slotOf = slotOf;
    }

    /** The next generation to start, or null: a ready follower first, then the queue's next. */
    Generation nextReady(AdmissionQueue queue) {
        for (Iterator<Generation> it = waiting.iterator(); it.hasNext(); ) {
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
            waiting.add(next);
        }
        return null;
    }

    private boolean leaderReady(Generation follower) {
        BatchSlot leaderSlot = slotOf.apply(follower.leader());
        return follower.isCancelled() || leaderSlot == null || !leaderSlot.isPrefilling();
    }
}
