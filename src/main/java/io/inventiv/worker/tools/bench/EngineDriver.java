package io.inventiv.worker.tools.bench;

import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.GenerationEvent;
import io.inventiv.worker.engine.SamplingRequest;
import java.util.List;

/**
 * The same load through our engine in process (scheduler, slot threads, stop-string matcher,
 * token accounting, the binding wrapper), without HTTP. Between the raw binding and the server,
 * it tells which layer an overhead comes from.
 */
public final class EngineDriver implements StreamDriver {
    /** A generation that has said nothing for this long is abandoned as failed. */
    private static final long STALL_MILLIS = 300_000;

    private final Engine engine;
    private final BenchPrompt prompt;
    private final BenchSampling sampling;

    public EngineDriver(Engine engine, int promptTokens, BenchSampling sampling) {
        this.engine = engine;
        this.prompt = BenchPrompt.ofTokens(promptTokens, text -> engine.tokenize(text, false));
        this.sampling = sampling;
    }

    @Override
    public StreamResult run(int requestIndex, int maxTokens) throws InterruptedException {
        long start = System.nanoTime();
        Generation generation;
        try {
            generation = engine.submit("bench-" + requestIndex, engine.prepareTokens(prompt.tokens(requestIndex)),
                    new SamplingRequest(maxTokens, sampling.temperature(), sampling.topP(), sampling.topK(),
                            sampling.minP(), null, null, null, null, true, List.of()));
        } catch (RuntimeException e) {
            return StreamResult.failed("refused", e.getMessage(), start, System.nanoTime());
        }
        DeltaClock clock = new DeltaClock(start);
        long lastEventAt = start;
        while (true) {
            GenerationEvent event = generation.next();
            long now = System.nanoTime();
            switch (event) {
                case GenerationEvent.Quiet quiet -> {
                    if (now - lastEventAt > STALL_MILLIS * 1_000_000) {
                        generation.cancel();
                        return StreamResult.failed("stalled", "no event for " + STALL_MILLIS + " ms", start, now);
                    }
                }
                case GenerationEvent.Delta delta -> {
                    lastEventAt = now;
                    clock.onDelta(now);
                }
                case GenerationEvent.Finished finished -> {
                    return clock.result(null, null, now, finished.result().completionTokens(),
                            finished.result().promptTokens());
                }
                case GenerationEvent.Failed failed -> {
                    return StreamResult.failed("failed", failed.message(), start, now);
                }
            }
        }
    }
}
