package io.inventiv.worker.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Alternates targets wave by wave: a wave is {@code concurrency} requests started together on one
 * target. On a machine whose speed drifts within minutes, two runs one after the other compare two
 * different machines; waves a few seconds apart compare the same one
 * (docs/DECISIONS.md, "Paired waves"). Only one target generates at any moment. With equal
 * prompts and budgets, a closed loop of N streams runs in such waves anyway.
 *
 * <p>The order: every target runs two waves in a row, then the next target runs the same two
 * (A A B B C C, A A B B C C, ...). So every target has half of its waves right after its own,
 * as in a busy server, and half right after another process's, whatever the number of targets.
 *
 * <p>The turn order: in one order, each target always has the same place in a block and the same
 * neighbours, and a place can favour its target, so the bench script changes the order from round
 * to round (docs/DECISIONS.md, "Turn order"): order {@code k} starts the block {@code k mod n}
 * targets later (A B C, B C A, C A B), and from {@code k = n} on runs the targets in reverse
 * (C B A, B A C, A C B). Over {@code n} rounds every target takes every place once; over
 * {@code 2n}, it also follows each other target.
 */
public final class PairedRunner {
    /**
     * A target and who hears its measured waves start and end (a side probe times a server only
     * while that server generates); null when nobody does.
     */
    public record Target(StreamDriver driver, LoadRunner.PhaseListener listener) {
    }

    private final List<Target> targets;
    private final BenchProgress progress;

    /** Target indexes in the order they take their turns in every block. */
    private final int[] turns;

    public PairedRunner(List<Target> targets, BenchProgress progress) {
        this(targets, progress, 0);
    }

    /** Turn order {@code order} (0 or more; see the class comment). */
    public PairedRunner(List<Target> targets, BenchProgress progress, int order) {
        if (targets.size() < 2) {
            throw new IllegalArgumentException("a paired run needs two targets or more");
        }
        this.targets = List.copyOf(targets);
        this.progress = progress;
        this.turns = turns(targets.size(), order);
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
                int i = turns[turn];
                for (int wave = firstWave + block; wave < firstWave + block + inBlock; wave++) {
                    runWave(i, wave * width, width, maxTokens, measured);
                }
            }
        }
    }

    /** Order {@code order} of {@code n} targets: rotated by {@code order mod n}, reversed in every other run of n. */
    static int[] turns(int n, int order) {
        if (order < 0) {
            throw new IllegalArgumentException("the turn order is 0 or more");
        }
        boolean reversed = (order / n) % 2 == 1;
        int[] turns = new int[n];
        for (int turn = 0; turn < n; turn++) {
            int place = (order + turn) % n;
            turns[turn] = reversed ? n - 1 - place : place;
        }
        return turns;
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
