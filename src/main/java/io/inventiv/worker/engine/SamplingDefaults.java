package io.inventiv.worker.engine;



/**
 * Checks sampling values with vLLM's rules and wording, and fills what the client left out
 * with vLLM's defaults. llama.cpp's own defaults (top-k 40, top-p 0.95, min-p 0.05, temp 0.8)
 * would make the same request sample differently here than on vLLM.
 */
final class SamplingDefaults {
    static final int MAX_STOP_STRINGS = 64;
    static final int MAX_STOP_LENGTH = 1024;

    private SamplingDefaults() {
    }

    /** Validates everything except max_tokens against the context (see {@link ContextBudget}). */
    static void validate(SamplingRequest request) {
        if (request.maxTokens() != null && request.maxTokens() < 1) {
            throw EngineException.invalid("max_tokens must be at least 1, got " + request.maxTokens() + ".",
                    "max_tokens");
        }
        check(request.temperature(), "temperature", t -> t >= 0, "must be non-negative");
        check(request.topP(), "top_p", p -> p > 0 && p <= 1, "must be in (0, 1]");
        if (request.topK() != null && request.topK() < -1) {
            throw EngineException.invalid("top_k must be 0 or -1 (disable), or at least 1, got " + request.topK() + ".",
                    "top_k");
        }
        check(request.minP(), "min_p", p -> p >= 0 && p <= 1, "must be in [0, 1]");
        check(request.presencePenalty(), "presence_penalty", p -> p >= -2 && p <= 2, "must be in [-2, 2]");
        check(request.frequencyPenalty(), "frequency_penalty", p -> p >= -2 && p <= 2, "must be in [-2, 2]");
        check(request.repetitionPenalty(), "repetition_penalty", p -> p > 0, "must be greater than zero");
        if (request.stop().size() > MAX_STOP_STRINGS) {
            throw EngineException.invalid("stop may contain at most " + MAX_STOP_STRINGS + " strings, got "
                    + request.stop().size() + ".", "stop");
        }
        for (String stop : request.stop()) {
            if (stop.isEmpty() || stop.length() > MAX_STOP_LENGTH) {
                throw EngineException.invalid("each stop string must have 1 to " + MAX_STOP_LENGTH
                        + " characters.", "stop");
            }
        }
    }

    static SamplingParams resolve(SamplingRequest request, int maxTokens) {
        return new SamplingParams(
                maxTokens,
                (float) orDefault(request.temperature(), 1.0),
                (float) orDefault(request.topP(), 1.0),
                request.topK() == null || request.topK() < 1 ? 0 : request.topK(), // 0 disables in llama.cpp
                (float) orDefault(request.minP(), 0.0),
                (float) orDefault(request.presencePenalty(), 0.0),
                (float) orDefault(request.frequencyPenalty(), 0.0),
                (float) orDefault(request.repetitionPenalty(), 1.0),
                request.ignoreEos(),
                // llama.cpp seeds are 32-bit; keep the low bits so equal seeds stay equal.
                request.seed() == null ? null : (int) (long) request.seed(),
                request.constraint() == null ? null : request.constraint().gbnf(),
                request.logprobs());
    }

    private static double orDefault(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static void check(Double value, String name, java.util.function.DoublePredicate ok, String rule) {
        if (value != null && (!Double.isFinite(value) || !ok.test(value))) {
            throw EngineException.invalid(name + " " + rule + ", got " + value + ".", name);
        }
    }
}
