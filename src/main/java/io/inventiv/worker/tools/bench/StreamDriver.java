package io.inventiv.worker.tools.bench;

/**
 * Runs one whole generation and times it: over HTTP, through the raw binding, or through the
 * engine. The load runner does not know which, so every path gets exactly the same load.
 */
public interface StreamDriver {
    /**
     * Generates {@code maxTokens} tokens (end-of-sequence ignored) for prompt number
     * {@code requestIndex}; each index gets a different prompt so no slot can reuse a cached
     * prefix. Never throws for a failed request: failures are results.
     */
    StreamResult run(int requestIndex, int maxTokens) throws InterruptedException;
}
