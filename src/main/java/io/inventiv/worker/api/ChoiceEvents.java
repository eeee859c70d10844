package io.inventiv.worker.api;

import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.GenerationEvent;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The events of an n &gt; 1 request's choices as one sequence, each tagged with its choice's index:
 * a virtual thread per choice forwards that choice's events in order.
 */
final class ChoiceEvents {
    record Tagged(int index, GenerationEvent event) {
    }

    private static final long QUIET_NANOS = Generation.QUIET_MILLIS * 1_000_000;

    private final BlockingQueue<Tagged> events = new LinkedBlockingQueue<>();
    /** When a quiet period last passed through; the consumer's thread alone reads and writes it. */
    private long lastQuietAt = System.nanoTime() - QUIET_NANOS;
    private final List<Generation> choices;
    private int open;

    ChoiceEvents(List<Generation> choices) {
        this.choices = choices;
        this.open = choices.size();
        for (int i = 0; i < choices.size(); i++) {
            int index = i;
            Thread.ofVirtual().name("choice-" + index).start(() -> forward(index, choices.get(index)));
        }
    }

    private void forward(int index, Generation generation) {
        try {
            while (true) {
                GenerationEvent event = generation.next();
                events.add(new Tagged(index, event));
                if (event instanceof GenerationEvent.Finished || event instanceof GenerationEvent.Failed) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether some choice has not ended yet. */
    boolean hasOpen() {
        return open > 0;
    }

    /**
     * The next event of any choice; each choice's last event is counted. Quiet periods come from
     * every choice at once, so only one of them passes per period: one ping, not n.
     */
    Tagged next() throws InterruptedException {
        while (true) {
            Tagged tagged = events.take();
            if (tagged.event() instanceof GenerationEvent.Quiet) {
                long now = System.nanoTime();
                if (now - lastQuietAt < QUIET_NANOS / 2) {
                    continue;
                }
                lastQuietAt = now;
            }
            if (tagged.event() instanceof GenerationEvent.Finished || tagged.event() instanceof GenerationEvent.Failed) {
                open--;
            }
            return tagged;
        }
    }

    void cancelAll() {
        choices.forEach(Generation::cancel);
    }
}
