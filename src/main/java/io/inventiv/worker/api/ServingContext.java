package io.inventiv.worker.api;

import io.inventiv.worker.config.ServerConfig.StreamUsage;
import io.inventiv.worker.engine.Engine;

/**
 * What every model endpoint needs, shared like vLLM's OpenAIServing base: the server state (and
 * through it the engine), the model-name rules, the body reader and the stream-usage policy.
 */
public record ServingContext(ServerState state, ModelNames models, RequestBodies bodies, StreamUsage streamUsage) {
    /** The loaded engine, or a 503 while loading or draining. */
    public Engine engine() {
        return state.engine();
    }
}
