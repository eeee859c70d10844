package io.inventiv.worker;

import io.helidon.http.Status;
import io.inventiv.worker.api.ApiException;
import io.inventiv.worker.api.ModelSleep;
import io.inventiv.worker.api.ServerState;
import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.ModelLoadException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Sleep and wake (vLLM's dev mode). Sleep refuses new requests with 503, lets the accepted ones
 * finish, then frees the model and the KV cache; wake loads the model again and hands the new
 * engine to everything that reads it. One change at a time.
 */
final class SleepMode implements ModelSleep {
    /** Loads the model as at start. */
    @FunctionalInterface
    interface Loader {
        Engine load() throws ModelLoadException;
    }

    private final ServerState state;
    private final Loader loader;
    private final long drainMillis;
    private final IntConsumer levelGauge;
    private final List<Consumer<Engine>> onLoaded = new CopyOnWriteArrayList<>();
    /** 0 awake, else the sleep level. */
    private volatile int level;

    /** {@code levelGauge} hears 0 on wake and the level on sleep. */
    SleepMode(ServerState state, Loader loader, int drainTimeoutSeconds, IntConsumer levelGauge) {
        this.state = state;
        this.loader = loader;
        this.drainMillis = drainTimeoutSeconds * 1000L;
        this.levelGauge = levelGauge;
    }

    /** Who must hear of the engine a wake loads. */
    void onLoaded(Consumer<Engine> listener) {
        onLoaded.add(listener);
    }

    @Override
    public synchronized void sleep(int requestedLevel) {
        if (level != 0) {
            return;
        }
        Engine engine = state.engine();
        if (!engine.canFreeModel()) {
            throw ApiException.badRequest("Sleep needs ENGINE=native: the binding engine cannot free its model.", null);
        }
        if (!state.markSleeping()) {
            throw state.notServing();
        }
        boolean drained;
        try {
            drained = engine.drain(drainMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            engine.resumeAdmitting();
            state.markAwake(engine);
            throw new ApiException(Status.SERVICE_UNAVAILABLE_503, "Requests were still running after "
                    + drainMillis / 1000 + " s (DRAIN_TIMEOUT_S); the model stays awake.", null, 1);
        }
        level = requestedLevel; // first: a close that fails must still leave a server that can wake
        levelGauge.accept(requestedLevel);
        engine.close();
        System.out.println("sleeping (level " + requestedLevel + "): the model and the KV cache are freed");
    }

    @Override
    public synchronized void wakeUp() {
        if (level == 0) {
            return;
        }
        long start = System.nanoTime();
        Engine engine;
        try {
            engine = loader.load();
        } catch (ModelLoadException | RuntimeException e) {
            throw new ApiException(Status.INTERNAL_SERVER_ERROR_500, "The model could not be loaded again: "
                    + e.getMessage(), null, null);
        }
        onLoaded.forEach(listener -> listener.accept(engine));
        level = 0;
        levelGauge.accept(0);
        state.markAwake(engine);
        System.out.printf("awake: model loaded again in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public boolean isSleeping() {
        return level != 0;
    }
}
