package io.inventiv.worker.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One stream that alternates between two targets request by request: A then B, then B then A,
 * and so on, each pair on the same prompt. On a machine whose speed drifts by 20% within
 * minutes, two runs one after the other compare two different machines; two requests a few
 * seconds apart compare the same one. Only one target generates at any moment: the other one's
 * threads sleep, so neither takes CPU from the other.
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

    /** What each target did in the measured phase: its results, and their summed duration as its wall time. */
    public record Pair(PhaseResult first, PhaseResult second) {
    }

    /** Warm-up (unmeasured), then {@code plan.requests()} pairs; the plan must be 1 stream and a request count. */
    public Pair run(LoadPlan plan) throws InterruptedException {
        if (plan.concurrency() != 1 || plan.requests() <= 0 || plan.repeats() != 1) {
            throw new IllegalArgumentException("paired runs take 1 stream, a request count and 1 repeat");
        }
        int index = 0;
        progress.startPhase("warm-up", 2 * plan.warmupRequests());
        for (int i = 0; i < plan.warmupRequests(); i++, index++) {
            runPair(i, index, plan.warmupMaxTokens(), null, null);
        }
        progress.endPhase();
        List<StreamResult> a = new ArrayList<>();
        List<StreamResult> b = new ArrayList<>();
        progress.startPhase("paired", 2 * plan.requests());
        for (int i = 0; i < plan.requests(); i++, index++) {
            runPair(i, index, plan.maxTokens(), a, b);
        }
        progress.endPhase();
        return new Pair(phase(a), phase(b));
    }

    /** Even pairs run the first target first, odd pairs the second: neither always follows the other. */
    private void runPair(int pair, int index, int maxTokens, List<StreamResult> a, List<StreamResult> b)
            throws InterruptedException {
        StreamDriver[] order = pair % 2 == 0 ? new StreamDriver[] {first, second} : new StreamDriver[] {second, first};
        for (StreamDriver driver : order) {
            progress.requestStarted();
            StreamResult result = driver.run(index, maxTokens);
            progress.requestEnded(result);
            if (a != null) {
                (driver == first ? a : b).add(result);
            }
        }
    }

    /** With one stream, a target's wall time is the time its own requests took. */
    private static PhaseResult phase(List<StreamResult> results) {
        long wall = results.stream().mapToLong(r -> r.endNanos() - r.startNanos()).sum();
        return new PhaseResult("paired", List.copyOf(results), wall);
    }
}
