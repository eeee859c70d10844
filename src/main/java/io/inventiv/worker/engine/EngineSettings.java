package io.inventiv.worker.engine;

/** The engine's share of the configuration. */
public record EngineSettings(int maxModelLen, int parallel, int maxQueue, int defaultMaxTokens) {
}
