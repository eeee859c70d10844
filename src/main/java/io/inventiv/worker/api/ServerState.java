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
    /** When the model load begins: later than the start by STARTUP_DELAY_S. */
    private volatile long loadStartsAtNanos = startedAtNanos;
    /** How much of the model file the load has read, 0 to 1; negative when the engine does not say. */
    private volatile double loadProgress = -1;
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

    /** The native engine's load reports how much of the file it has read. */
    public void loadProgress(double fraction) {
        loadProgress = fraction;
    }

    /** The load waits {@code seconds} first (STARTUP_DELAY_S), which the 503s say meanwhile. */
    public void delayLoad(int seconds) {
        loadStartsAtNanos = startedAtNanos + seconds * 1_000_000_000L;
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
                : loadingMessage(System.nanoTime());
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, message, null, ApiErrors.RETRY_AFTER_SECONDS);
    }

    private String loadingMessage(long now) {
        String elapsed = String.format(Locale.ROOT, "The model is loading (%.1f s elapsed)", (now - startedAtNanos) / 1e9);
        if (now < loadStartsAtNanos) {
            return elapsed + String.format(Locale.ROOT, ": STARTUP_DELAY_S holds the load for %.1f s more. Retry later.",
                    (loadStartsAtNanos - now) / 1e9);
        }
        double progress = loadProgress;
        String stage = progress < 0 ? ""
                : progress < 1 ? String.format(Locale.ROOT, ": %.0f%% of the model file read", 100 * progress)
                : ": the model file is read; the KV cache and compute buffers are being set up";
        return elapsed + stage + ". Retry shortly.";
    }
}
