package io.inventiv.worker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Alternates two targets wave by wave: a wave is {@code concurrency} requests started together
 * on one target; then the same prompts on the other target. Pairs run A then B, then B then A,
 * and so on. On a machine whose speed drifts by 20% within minutes, two runs one after the other
 * compare two different machines; two waves a few seconds apart compare the same one. Only one
 * target generates at any moment: the other one's threads sleep, so neither takes CPU from the
 * other. With equal prompts and budgets, a closed loop of N streams runs in such waves anyway.
 */
public final class PairedRunner {
    private final StreamDriver first;
    private final StreamDriver second;
    private final Progress progress;

    public PairedRunner(StreamDriver first, StreamDriver second, Progress progress) {
        this.first = first;
        this.second = second;
        this.progress = progress;
    }

    /** What each target did in the measured phase: its results, and its waves' summed duration as its wall time. */
    public record Pair(PhaseResult first, PhaseResult second) {
    }

    /**
     * Warm-up ({@code plan.warmupRequests()} requests per target, unmeasured), then
     * {@code plan.requests()} requests per target in waves of {@code plan.concurrency()}. The
     * listener hears the warm-up start and end, and each measured wave of the second target, so a
     * side probe times that target's endpoints only while it generates.
     */
    public Pair run(LoadPlan plan, LoadRunner.PhaseListener secondListener) throws InterruptedException {
        requireWholeWaves(plan);
        int width = plan.concurrency();
        int index = 0;
        secondListener.warmupStarted();
        progress.startPhase("warm-up", 2 * plan.warmupRequests());
        for (int wave = 0; wave < plan.warmupRequests() / width; wave++, index += width) {
            runPair(wave, index, width, plan.warmupMaxTokens(), null, null, null);
        }
        secondListener.phaseEnded("warm-up"); // a side probe must not run during the first target's waves
        progress.endPhase();
        Waves a = new Waves();
        Waves b = new Waves();
        progress.startPhase("paired", 2 * plan.requests());
        for (int wave = 0; wave < plan.requests() / width; wave++, index += width) {
            runPair(wave, index, width, plan.maxTokens(), a, b, secondListener);
        }
        progress.endPhase();
        return new Pair(a.phase(), b.phase());
    }

    /**
     * Refuses a plan that does not split into whole waves: the request count and the warm-up
     * must be multiples of the concurrency, with 1 repeat.
     */
    public static void requireWholeWaves(LoadPlan plan) {
        int width = plan.concurrency();
        if (plan.requests() <= 0 || plan.repeats() != 1 || plan.requests() % width != 0
                || plan.warmupRequests() % width != 0) {
            throw new IllegalArgumentException("paired runs take --requests and --warmup in multiples of -c, "
                    + "and --repeats 1");
        }
    }

    /** Even pairs run the first target first, odd pairs the second: neither always follows the other. */
    private void runPair(int pair, int index, int width, int maxTokens, Waves a, Waves b,
            LoadRunner.PhaseListener secondListener) throws InterruptedException {
        boolean firstFirst = pair % 2 == 0;
        for (StreamDriver driver : firstFirst ? List.of(first, second) : List.of(second, first)) {
            boolean measuredSecond = driver == second && secondListener != null;
            if (measuredSecond) {
                secondListener.phaseStarted("paired");
            }
            try {
                long start = System.nanoTime();
                List<StreamResult> results = wave(driver, index, width, maxTokens);
                long wall = System.nanoTime() - start;
                if (a != null) {
                    (driver == first ? a : b).add(results, wall);
                }
            } finally {
                if (measuredSecond) {
                    secondListener.phaseEnded("paired");
                }
            }
        }
    }

    /** {@code width} requests at once, one platform thread each (the raw driver blocks in native code). */
    private List<StreamResult> wave(StreamDriver driver, int index, int width, int maxTokens)
            throws InterruptedException {
        List<StreamResult> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int stream = 0; stream < width; stream++) {
            int requestIndex = index + stream;
            threads.add(Thread.ofPlatform().daemon().name("bench-paired-" + stream).start(() -> {
                progress.requestStarted();
                try {
                    StreamResult result = driver.run(requestIndex, maxTokens);
                    results.add(result);
                    progress.requestEnded(result);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
        return List.copyOf(results);
    }

    /** One target's measured waves. */
    private static final class Waves {
        private final List<StreamResult> results = new ArrayList<>();
        private long wallNanos;

        void add(List<StreamResult> wave, long nanos) {
            results.addAll(wave);
            wallNanos += nanos;
        }

        PhaseResult phase() {
            return new PhaseResult("paired", List.copyOf(results), wallNanos);
        }
    }
}
