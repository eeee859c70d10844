package io.inventiv.worker.api;

import io.inventiv.worker.config.ServerConfig.StreamUsage;
import io.inventiv.worker.engine.Engine;

/**
 * What every generating endpoint needs, shared like vLLM's OpenAIServing base: the engine, the
 * model-name rules, the body reader and the stream-usage policy.
 */
public record ServingContext(Engine engine, ModelNames models, RequestBodies bodies, StreamUsage streamUsage) {
}
