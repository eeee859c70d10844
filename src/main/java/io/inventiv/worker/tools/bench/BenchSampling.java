package io.inventiv.worker.tools.bench;

/**
 * Sampling sent explicitly to every target, because defaults differ: llama.cpp samples with
 * top-k 40, top-p 0.95, min-p 0.05 and temperature 0.8 unless told, vLLM (and our server) with
 * temperature 1 and no cut. The default is greedy with the leanest chain (top-k 1): with
 * random-weight benchmark models, full-vocabulary sampling mostly picks padding tokens that
 * print nothing, and a stream without content has no measurable TTFT.
 */
public record BenchSampling(double temperature, int topK, double topP, double minP) {
    public static final BenchSampling GREEDY = new BenchSampling(0.0, 1, 1.0, 0.0);
}
