package io.inventiv.worker.engine;

/** Sampling settings in llama.cpp's terms, already validated and defaulted by the engine. */
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
        Integer seed) {
}
