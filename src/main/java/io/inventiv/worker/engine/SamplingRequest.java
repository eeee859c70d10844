package io.inventiv.worker.engine;

import java.util.List;

/**
 * Sampling as a client asked for it; null means "not given". The engine fills defaults with
 * vLLM's semantics (temperature 1, no top-k/top-p/min-p cut, no penalties), not llama.cpp's.
 * {@code constraint} (structured outputs) is null when the output is free; {@code logprobs} is
 * the number of alternatives to report per token, or null for no log-probabilities.
 */
public record SamplingRequest(
        Integer maxTokens,
        Double temperature,
        Double topP,
        Integer topK,
        Double minP,
        Double presencePenalty,
        Double frequencyPenalty,
        Double repetitionPenalty,
        Long seed,
        boolean ignoreEos,
        List<String> stop,
        GrammarConstraint constraint,
        Integer logprobs) {

    public SamplingRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public SamplingRequest withConstraint(GrammarConstraint grammar) {
        return new SamplingRequest(maxTokens, temperature, topP, topK, minP, presencePenalty, frequencyPenalty,
                repetitionPenalty, seed, ignoreEos, stop, grammar, logprobs);
    }

    public SamplingRequest withSeed(Long newSeed) {
        return new SamplingRequest(maxTokens, temperature, topP, topK, minP, presencePenalty, frequencyPenalty,
                repetitionPenalty, newSeed, ignoreEos, stop, constraint, logprobs);
    }

    /** Without a grammar. */
    public SamplingRequest(Integer maxTokens, Double temperature, Double topP, Integer topK, Double minP,
            Double presencePenalty, Double frequencyPenalty, Double repetitionPenalty, Long seed, boolean ignoreEos,
            List<String> stop) {
        this(maxTokens, temperature, topP, topK, minP, presencePenalty, frequencyPenalty, repetitionPenalty, seed,
                ignoreEos, stop, null, null);
    }
}
