package io.inventiv.worker.engine;

/**
 * The engine's share of the configuration.
 *
 * @param tokenDelayMillis fault injection: extra time per generated token, to imitate slow
 *                         hardware in test environments (0 = off)
 */
public record EngineSettings(int maxModelLen, int parallel, int maxQueue, int defaultMaxTokens,
        long tokenDelayMillis) {
}
