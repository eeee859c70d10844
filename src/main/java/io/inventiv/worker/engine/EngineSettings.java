package io.inventiv.worker.engine;

/**
 * The engine's share of the configuration.
 *
 * @param tokenDelayMillis fault injection: extra time per generated token, to imitate slow
 *                         hardware in test environments (0 = off)
 * @param deterministic    the same request gives the same bytes, alone or under load: each slot
 *                         decodes alone, prompts are never reused, a missing seed is 0
 */
public record EngineSettings(int maxModelLen, int parallel, int maxQueue, int defaultMaxTokens,
        long tokenDelayMillis, boolean deterministic) {
    public EngineSettings(int maxModelLen, int parallel, int maxQueue, int defaultMaxTokens, long tokenDelayMillis) {
        this(maxModelLen, parallel, maxQueue, defaultMaxTokens, tokenDelayMillis, false);
    }
}
