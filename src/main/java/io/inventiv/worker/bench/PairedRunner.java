package io.inventiv.worker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Alternates targets wave by wave: a wave is {@code concurrency} requests started together on one
 * target. On a machine whose speed drifts by 20% within minutes, two runs one after the other
 * compare two different machines; waves a few seconds apart compare the same one. Only one target
 * generates at any moment. With equal prompts and budgets, a closed loop of N streams runs in such
 * waves anyway.
 *
 * <p>The order: every target runs two waves in a row, then the next target runs the same two
 * (A A B B C C, A A B B C C, ...). So every target has half of its waves right after its own,
 * as in a busy server, and half right after another process's, whatever the number of targets.
 * The order used before (A B C, then C B A) did that for two targets only: with three, the middle
 * one never followed itself, and its TTFT over 16-token prompts came out about 3 ms worse (median
 * of 4 runs +5.6 ms over raw, against +2.6 ms in 8 runs with two targets).
 *
 * <p>With {@code reversed}, the targets take their turns in the opposite order (C C B B A A): in
 * one order each target's first wave of a block always follows the same other target, so the
 * bench script reverses every other round, and each target follows each other one equally often.
 * Whether that place matters is not settled: our server against a copy of itself (A/A runs of
 * 10 and 9 rounds of 1 stream) came out 0.6% slower and 0.2% faster in the second place than in
 * the third.
 */
public final class PairedRunner {
    /**
     * A target and who hears its measured waves start and end (a side probe times a server only
     * while that server generates); null when nobody does.
     */
    public record Target(StreamDriver driver, LoadRunner.PhaseListener listener) {
    }

    private final List<Target> targets;
    private final Progress progress;

    private final boolean reversed;

    public PairedRunner(List<Target> targets, Progress progress) {
        this(targets, progress, false);
    }

    /** With {@code reversed}, the last target takes the first turn of every block, and so on. */
    public PairedRunner(List<Target> targets, Progress progress, boolean reversed) {
        if (targets.size() < 2) {
            throw new IllegalArgumentException("a paired run needs two targets or more");
        }
        this.targets = List.copyOf(targets);
        this.progress = progress;
        this.reversed = reversed;
    }

    /**
     * Warm-up ({@code plan.warmupRequests()} requests per target, unmeasured), then
     * {@code plan.requests()} requests per target in waves of {@code plan.concurrency()}. Every
     * listener hears the warm-up start and end: a server is warm when measured, its side paths too.
     *
     * @return what each target did in the measured waves, in the targets' order; each phase's wall
     *     time is the sum of that target's own waves
     */
    public List<PhaseResult> run(LoadPlan plan) throws InterruptedException {
        requireWholeWaves(plan);
        int width = plan.concurrency();
        int warmupWaves = plan.warmupRequests() / width;
        listeners().forEach(LoadRunner.PhaseListener::warmupStarted);
        progress.startPhase("warm-up", targets.size() * plan.warmupRequests());
        runWaves(0, warmupWaves, width, plan.warmupMaxTokens(), null);
        // A side probe must not run during the other targets' measured waves.
        listeners().forEach(listener -> listener.phaseEnded("warm-up"));
        progress.endPhase();
        List<Waves> measured = targets.stream().map(target -> new Waves()).toList();
        progress.startPhase("paired", targets.size() * plan.requests());
        runWaves(warmupWaves, plan.requests() / width, width, plan.maxTokens(), measured);
        progress.endPhase();
        return measured.stream().map(Waves::phase).toList();
    }

    /**
     * {@code waves} waves on every target, two in a row per target (a last odd one alone), from
     * wave number {@code firstWave}: wave n's requests are numbered from {@code n × width}.
     */
    private void runWaves(int firstWave, int waves, int width, int maxTokens, List<Waves> measured)
            throws InterruptedException {
        for (int block = 0; block < waves; block += 2) {
            int inBlock = Math.min(2, waves - block);
            for (int turn = 0; turn < targets.size(); turn++) {
                int i = reversed ? targets.size() - 1 - turn : turn;
                for (int wave = firstWave + block; wave < firstWave + block + inBlock; wave++) {
                    runWave(i, wave * width, width, maxTokens, measured);
                }
            }
        }
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

    private List<LoadRunner.PhaseListener> listeners() {
        return targets.stream().map(Target::listener).filter(listener -> listener != null).toList();
    }

    /** One wave on one target; measured when {@code measured} is given. */
    private void runWave(int targetIndex, int index, int width, int maxTokens, List<Waves> measured)
            throws InterruptedException {
        Target target = targets.get(targetIndex);
        boolean heard = measured != null && target.listener() != null;
        if (heard) {
            target.listener().phaseStarted("paired");
        }
        try {
            long start = System.nanoTime();
            List<StreamResult> results = requests(target.driver(), index, width, maxTokens);
            long wall = System.nanoTime() - start;
            if (measured != null) {
                measured.get(targetIndex).add(results, wall);
            }
        } finally {
            if (heard) {
                target.listener().phaseEnded("paired");
            }
        }
    }

    /** {@code width} requests at once, one platform thread each (the raw driver blocks in native code). */
    private List<StreamResult> requests(StreamDriver driver, int index, int width, int maxTokens)
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
