package io.inventiv.worker.api;

import io.helidon.http.Status;
import io.inventiv.worker.engine.Engine;
import java.util.Locale;

/**
 * Where the process is in its life: loading the model, serving, asleep (dev mode's /sleep), or
 * draining for shutdown. The HTTP listener starts before the model loads, and this is what keeps
 * every model route honest about it (503 while loading, so "200 and my model is listed" means
 * inference really works).
 */
public final class ServerState {
    /** The phases in order; only sleep goes back, from SLEEPING to READY. */
    public enum Phase { LOADING, READY, SLEEPING, DRAINING }

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

    /** The model is (being) put to sleep: model routes answer 503 until {@link #markReady} again. */
    public synchronized boolean markSleeping() {
        if (phase != Phase.READY) {
            return false;
        }
        phase = Phase.SLEEPING;
        return true;
    }

    /** Back from a sleep that did not happen, or awake with a newly loaded engine. */
    public synchronized void markAwake(Engine loaded) {
        if (phase == Phase.SLEEPING) {
            markReady(loaded);
        }
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

    /** The engine while it serves, else null (for status readers, which never fail). */
    public Engine engineIfServing() {
        Engine current = engine;
        return phase == Phase.READY ? current : null;
    }

    /** The 503 for the current phase. */
    public ApiException notServing() {
        String message = phase == Phase.DRAINING
                ? "The server is shutting down and accepts no new requests."
                : phase == Phase.SLEEPING ? "The model is sleeping: POST /wake_up loads it again."
                : String.format(Locale.ROOT, "The model is loading (%.1f s elapsed). Retry shortly.",
                        (System.nanoTime() - startedAtNanos) / 1e9);
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, message, null, ApiErrors.RETRY_AFTER_SECONDS);
    }
}
