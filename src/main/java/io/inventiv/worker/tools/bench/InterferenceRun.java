package io.inventiv.worker.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a long prompt does to streams that are already decoding: {@code streams} streams start
 * together; once each has produced {@link #SETTLED_TOKENS} tokens, one long prompt arrives (when
 * {@code withLongPrompt}), and the streams' inter-token gaps are collected while it is evaluated.
 * Without it, the gaps of the same streams over the same stretch of their output are the baseline.
 */
public final class InterferenceRun {
    /** Tokens each stream produces before the long prompt is sent. */
    public static final int SETTLED_TOKENS = 16;

    /** The streams' gaps in ms while the long prompt ran (or over the same tokens without it), and its time. */
    public record Outcome(double[] gapsMillis, double promptMillis, boolean streamsOutlivedPrompt, int failures) {
        public Distribution gaps() {
            return Distribution.of(gapsMillis);
        }
    }

    private InterferenceRun() {
    }

    /**
     * Runs the streams (each {@code streamTokens} long, prompts from {@code streamDriver}) and, when
     * {@code longPrompt} is not null, the long prompt (1 token out) once they have settled.
     */
    public static Outcome run(HttpStreamDriver streamDriver, int streams, int streamTokens, HttpStreamDriver longPrompt,
            int roundIndex) throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<StreamResult>> running = new ArrayList<>();
            long startedAt = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                int index = roundIndex * streams + i;
                running.add(pool.submit(() -> streamDriver.run(index, streamTokens)));
            }
            long promptSent = 0;
            long promptDone = 0;
            if (longPrompt != null) {
                // Settled: a stream of this machine decodes at least a token per second.
                Thread.sleep(Math.max(1000, SETTLED_TOKENS * 1000L / 4));
                promptSent = System.nanoTime();
                StreamResult prompt = longPrompt.run(roundIndex, 1);
                promptDone = System.nanoTime();
                if (!prompt.ok()) {
                    return new Outcome(new double[0], Double.NaN, false, 1);
                }
            }
            List<Double> gaps = new ArrayList<>();
            boolean outlived = true;
            int failures = 0;
            for (Future<StreamResult> future : running) {
                StreamResult stream = future.get();
                if (!stream.ok()) {
                    failures++;
                    continue;
                }
                long at = stream.firstContentNanos();
                long[] between = stream.interTokenNanos();
                for (int k = 0; k < between.length; k++) {
                    long gapEnd = at + between[k];
                    boolean inWindow = longPrompt != null
                            ? gapEnd > promptSent && at < promptDone
                            : k >= SETTLED_TOKENS;
                    if (inWindow) {
                        gaps.add(between[k] / 1e6);
                    }
                    at = gapEnd;
                }
                outlived &= longPrompt == null || stream.lastContentNanos() > promptDone;
            }
            double promptMillis = longPrompt == null ? Double.NaN : (promptDone - promptSent) / 1e6;
            return new Outcome(gaps.stream().mapToDouble(Double::doubleValue).toArray(), promptMillis, outlived,
                    failures);
        } finally {
            pool.shutdownNow();
        }
    }
}
