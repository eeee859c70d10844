package io.inventiv.worker.engine;

/**
 * Sampling settings in llama.cpp's terms, already validated and defaulted by the engine.
 * {@code grammar} (GBNF, or null) constrains every token; only the native engine applies it.
 */
public record SamplingParams(
        int maxTokens,
        float temperature,
        float topP,
        int topK,
        float minP,
        float presencePenalty,
        float frequencyPenalty,
        float repetitionPenalty,
        boolean ignoreEos,
        Integer seed,
        String grammar) {

    /** Settings without a grammar. */
    public SamplingParams(int maxTokens, float temperature, float topP, int topK, float minP, float presencePenalty,
            float frequencyPenalty, float repetitionPenalty, boolean ignoreEos, Integer seed) {
        this(maxTokens, temperature, topP, topK, minP, presencePenalty, frequencyPenalty, repetitionPenalty, ignoreEos,
                seed, null);
    }
}
