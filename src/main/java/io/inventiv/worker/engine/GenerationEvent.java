package io.inventiv.worker.engine;

/** What a generation tells the thread that serves its client, in order. */
public sealed interface GenerationEvent {
    /** The one {@link Quiet} event. */
    Quiet QUIET = new Quiet();

    /** New text; may be empty only never: the engine drops empty pieces. */
    record Delta(String text) implements GenerationEvent {
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
