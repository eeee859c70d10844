package io.inventiv.worker.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link LoadPlan} against a {@link StreamDriver}: warm-up, then the measured repeats,
 * each with {@code concurrency} platform threads (the raw driver blocks in native code, where a
 * virtual thread would pin its carrier). Request indexes run on across phases, so no two
 * requests of a run share a prompt.
 */
public final class LoadRunner {
    /** Called around each measured phase, e.g. to start and stop the side probe. */
    public interface PhaseListener {
        /** The warm-up begins; it is followed by the first measured phase. */
        default void warmupStarted() {
        }

        default void phaseStarted(String name) {
        }

        default void phaseEnded(String name) {
        }
    }

    private final StreamDriver driver;
    private final BenchProgress progress;
    private final AtomicInteger nextIndex = new AtomicInteger();

    public LoadRunner(StreamDriver driver, BenchProgress progress) {
        this.driver = driver;
        this.progress = progress;
    }

    /** The measured phases; the warm-up is run but not returned. */
    public List<PhaseResult> run(LoadPlan plan, PhaseListener listener) throws InterruptedException {
        if (plan.warmupRequests() > 0) {
            listener.warmupStarted();
            runPhase("warm-up", plan.concurrency(), plan.warmupRequests(), 0, plan.warmupMaxTokens());
        }
        List<PhaseResult> phases = new ArrayList<>();
        for (int repeat = 1; repeat <= plan.repeats(); repeat++) {
            String name = "repeat " + repeat + "/" + plan.repeats();
            listener.phaseStarted(name);
            try {
                long durationNanos = plan.requests() > 0 ? 0 : plan.duration().toNanos();
                phases.add(runPhase(name, plan.concurrency(), plan.requests(), durationNanos, plan.maxTokens()));
            } finally {
                listener.phaseEnded(name);
            }
        }
        return phases;
    }

    /** Runs {@code requests} requests, or as many as start within {@code durationNanos}. */
    PhaseResult runPhase(String name, int concurrency, int requests, long durationNanos, int maxTokens)
            throws InterruptedException {
        List<StreamResult> results = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger issued = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(concurrency);
        progress.startPhase(name, requests);
        long start = System.nanoTime();
        long deadline = start + durationNanos;
        List<Thread> workers = new ArrayList<>();
        for (int worker = 0; worker < concurrency; worker++) {
            workers.add(Thread.ofPlatform().daemon().name("bench-stream-" + worker).start(() -> {
                try {
                    while (true) {
                        boolean more = requests > 0 ? issued.getAndIncrement() < requests
                                : System.nanoTime() < deadline;
                        if (!more) {
                            return;
                        }
                        progress.requestStarted();
                        StreamResult result = driver.run(nextIndex.getAndIncrement(), maxTokens);
                        results.add(result);
                        progress.requestEnded(result);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            }));
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            throw e;
        }
        long wall = System.nanoTime() - start;
        progress.endPhase();
        return new PhaseResult(name, List.copyOf(results), wall);
    }
}
