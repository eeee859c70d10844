package io.inventiv.worker.api;

import io.inventiv.worker.config.ServerConfig.StreamUsage;
import io.inventiv.worker.engine.Engine;
import java.time.Duration;

/**
 * What every model endpoint needs, shared like vLLM's OpenAIServing base: the server state (and
 * through it the engine), the model-name rules, the body reader, the stream-usage policy, and how
 * long a stream may wait for a client that reads nothing before its connection is closed.
 */
public record ServingContext(ServerState state, ModelNames models, RequestBodies bodies, StreamUsage streamUsage,
        ClientConnections connections, Duration sendTimeout, TestControls controls) {
    /** The loaded engine, or a 503 while loading or draining. */
    public Engine engine() {
        return state.engine();
    }
}
