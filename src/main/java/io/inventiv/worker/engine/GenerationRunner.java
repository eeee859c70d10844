package io.inventiv.worker.engine;

import io.inventiv.worker.engine.binding.LlamaBinding;
import io.inventiv.worker.engine.binding.LlamaBinding.NativeGeneration;
import io.inventiv.worker.engine.binding.LlamaBinding.Piece;
import java.lang.System.Logger.Level;

/**
 * Drives one generation through the binding on a slot thread: forwards text, applies stop
 * strings, notices cancellation between tokens, and does the token accounting.
 *
 * <p>Counting: the binding yields one output per token, except that a token ending inside a
 * UTF-8 character is joined to the next output; the final output carries no token. A generation
 * that ran to its budget therefore produced exactly {@code maxTokens} tokens whatever the output
 * count, and one that ended on end-of-sequence did so with an output of empty text.
 */
final class GenerationRunner {
    private static final System.Logger LOG = System.getLogger(GenerationRunner.class.getName());

    private final LlamaBinding binding;
    private final EngineListener listener;
    private final long tokenDelayMillis;

    GenerationRunner(LlamaBinding binding, EngineListener listener, long tokenDelayMillis) {
        this.binding = binding;
        this.listener = listener;
        this.tokenDelayMillis = tokenDelayMillis;
    }

    /** Runs the generation to its end and returns its last event, not yet delivered. */
    GenerationEvent run(Generation generation) {
        long startedAt = System.nanoTime();
        if (generation.isCancelled()) {
            return finished(generation, 0, FinishReason.ABORT, startedAt, 0);
        }
        listener.onStarted(generation, startedAt);
        return generate(generation, startedAt);
    }

    private GenerationEvent generate(Generation generation, long startedAt) {
        int maxTokens = generation.sampling().maxTokens();
        StopStringMatcher matcher = new StopStringMatcher(generation.stops());
        int outputs = 0;
        boolean lastOutputEmpty = false;
        long firstTokenAt = 0;
        long previousTokenAt = 0;
        NativeGeneration nativeGeneration;
        try {
            nativeGeneration = binding.start(generation.prompt().tokens(), generation.sampling());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "request " + generation.requestId() + " could not start", e);
            return new GenerationEvent.Failed("generation could not start: " + e.getMessage());
        }
        try {
            while (true) {
                if (generation.isCancelled()) {
                    nativeGeneration.cancel();
                    return finished(generation, outputs, FinishReason.ABORT, startedAt, firstTokenAt);
                }
                Piece piece = nativeGeneration.next();
                if (piece == null || piece.isFinal()) {
                    generation.emitText(matcher.accept(piece == null ? "" : piece.text()) + matcher.flush());
                    break;
                }
                long now = System.nanoTime();
                if (outputs++ == 0) {
                    firstTokenAt = now;
                    listener.onFirstToken(generation, now);
                } else {
                    listener.onNextToken(generation, now - previousTokenAt);
                }
                previousTokenAt = now;
                generation.countProduced();
                lastOutputEmpty = piece.text().isEmpty();
                generation.emitText(matcher.accept(piece.text()));
                if (matcher.matchedStop() != null) {
                    nativeGeneration.cancel();
                    return finished(generation, outputs, FinishReason.STOP, startedAt, firstTokenAt,
                            matcher.matchedStop());
                }
                TokenDelay.sleep(tokenDelayMillis);
            }
        } catch (RuntimeException e) {
            nativeGeneration.cancel();
            LOG.log(Level.ERROR, "request " + generation.requestId() + " failed in llama.cpp", e);
            return new GenerationEvent.Failed("generation failed: " + e.getMessage());
        }
        boolean endOfSequence = outputs < maxTokens && lastOutputEmpty && !generation.sampling().ignoreEos();
        return endOfSequence
                ? finished(generation, outputs, FinishReason.STOP, startedAt, firstTokenAt)
                : finished(generation, maxTokens, FinishReason.LENGTH, startedAt, firstTokenAt);
    }


    private static GenerationEvent finished(Generation generation, int completionTokens, FinishReason reason,
            long startedAt, long firstTokenAt) {
        return finished(generation, completionTokens, reason, startedAt, firstTokenAt, null);
    }

    private static GenerationEvent finished(Generation generation, int completionTokens, FinishReason reason,
            long startedAt, long firstTokenAt, String stopString) {
        return new GenerationEvent.Finished(new GenerationResult(generation.promptTokens(), completionTokens,
                reason, stopString, generation.maxTokens(), generation.queuedAtNanos(), startedAt, firstTokenAt,
                System.nanoTime()));
    }
}
