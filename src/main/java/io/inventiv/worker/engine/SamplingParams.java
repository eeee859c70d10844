package io.inventiv.worker.engine;

/**
 * Sampling settings in llama.cpp's terms, already validated and defaulted by the engine.
 * {@code grammar} (GBNF, or null) constrains every token; only the native engine applies it.
 * {@code logprobs} is how many alternatives each token reports with its log-probability (0 to
 * 20), or null when the request wants none.
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
        String grammar,
        Integer logprobs) {

    /** Settings without a grammar. */
    public SamplingParams(int maxTokens, float temperature, float topP, int topK, float minP, float presencePenalty,
            float frequencyPenalty, float repetitionPenalty, boolean ignoreEos, Integer seed) {
        this(maxTokens, temperature, topP, topK, minP, presencePenalty, frequencyPenalty, repetitionPenalty, ignoreEos,
                seed, null, null);
    }
}
