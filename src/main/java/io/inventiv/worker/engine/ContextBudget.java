package io.inventiv.worker.engine;

/**
 * Decides how many tokens a request may generate. llama.cpp would silently cut a prompt that
 * does not fit its slot, so every request is checked here first and refused with vLLM's words.
 */
final class ContextBudget {
    private final int maxModelLen;
    private final int defaultMaxTokens;

    ContextBudget(int maxModelLen, int defaultMaxTokens) {
        this.maxModelLen = maxModelLen;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    /**
     * Returns the completion budget for a prompt of {@code promptTokens}, given the requested
     * {@code maxTokens} (null when the client set none).
     */
    int completionBudget(int promptTokens, Integer maxTokens) {
        if (promptTokens == 0) {
            throw EngineException.invalid("The decoder prompt cannot be empty", "prompt");
        }
        if (maxTokens == null) {
            if (promptTokens >= maxModelLen) {
                throw EngineException.invalid("This model's maximum context length is " + maxModelLen
                        + " tokens. However, you requested " + promptTokens + " tokens in the messages, "
                        + "Please reduce the length of the messages.", "messages");
            }
            return Math.min(defaultMaxTokens, maxModelLen - promptTokens);
        }
        if ((long) promptTokens + maxTokens > maxModelLen) {
            throw EngineException.invalid("This model's maximum context length is " + maxModelLen
                    + " tokens. However, you requested " + ((long) promptTokens + maxTokens) + " tokens ("
                    + promptTokens + " in the messages, " + maxTokens + " in the completion). "
                    + "Please reduce the length of the messages or completion.", "messages");
        }
        return maxTokens;
    }
}
