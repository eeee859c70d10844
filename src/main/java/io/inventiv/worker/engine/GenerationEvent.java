package io.inventiv.worker.engine;

/** What a generation tells the thread that serves its client, in order. */
public sealed interface GenerationEvent {
    /** The one {@link Quiet} event. */
    Quiet QUIET = new Quiet();

    /**
     * New text, and the log-probabilities of the tokens sampled since the last delta when the
     * request asked for them (else empty). Text is empty only when log-probabilities came alone.
     */
    record Delta(String text, java.util.List<TokenLogprob> logprobs) implements GenerationEvent {
        public Delta(String text) {
            this(text, java.util.List.of());
        }
    }

    /** The last event of a successful or aborted generation. */
    record Finished(GenerationResult result) implements GenerationEvent {
    }

    /** The last event when native generation failed. */
    record Failed(String message) implements GenerationEvent {
    }

    /** Nothing happened for {@link Generation#QUIET_MILLIS}; more events will follow. */
    record Quiet() implements GenerationEvent {
    }
}
