package io.inventiv.worker.api;

import io.helidon.http.Status;
import io.inventiv.worker.engine.Engine;
import java.util.Locale;

/**
 * Where the process is in its life: loading the model, serving, or draining for shutdown. The
 * HTTP listener starts before the model loads, and this is what keeps every model route honest
 * about it (503 while loading, so "200 and my model is listed" means inference really works).
 */
public final class ServerState {
    /** The phases in order; a process never goes back. */
    public enum Phase { LOADING, READY, DRAINING }

    private final long startedAtNanos = System.nanoTime();
    private volatile Phase phase = Phase.LOADING;
    private volatile Engine engine;

    /** A state that is already serving, for tests and tools that load the engine themselves. */
    public static ServerState ready(Engine engine) {
        ServerState state = new ServerState();
        state.markReady(engine);
        return state;
    }

    public void markReady(Engine loaded) {
        engine = loaded;
        phase = Phase.READY;
    }

    public void markDraining() {
        phase = Phase.DRAINING;
    }

    public Phase phase() {
        return phase;
    }

    /** The engine, or a 503 saying why there is none yet or any more. */
    public Engine engine() {
        Engine current = engine;
        if (current == null || phase != Phase.READY) {
            throw notServing();
        }
        return current;
    }

    /** The 503 for the current phase. */
    public ApiException notServing() {
        String message = phase == Phase.DRAINING
                ? "The server is shutting down and accepts no new requests."
                : String.format(Locale.ROOT, "The model is loading (%.1f s elapsed). Retry shortly.",
                        (System.nanoTime() - startedAtNanos) / 1e9);
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, message, null, ApiErrors.RETRY_AFTER_SECONDS);
    }
}
