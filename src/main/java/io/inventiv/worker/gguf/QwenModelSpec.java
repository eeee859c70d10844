package io.inventiv.worker.gguf;

import io.inventiv.worker.gguf.GgufWriter.TensorType;

/**
 * The shape of a synthetic qwen2-architecture model written by {@link QwenFixtureModel}.
 *
 * @param name          written as {@code general.name}
 * @param vocabSize     number of tokens; also the row count of token_embd
 * @param nEmbd         hidden size
 * @param nFf           feed-forward (intermediate) size
 * @param nLayer        transformer blocks
 * @param nHead         query heads
 * @param nHeadKv       key/value heads (grouped-query attention)
 * @param contextLength training context advertised to llama.cpp ({@code n_ctx_train})
 * @param tensorType    encoding of the 2-D weight matrices; norms and biases are always F32
 * @param seed          weights are a pure function of the spec, so the same seed gives the same bytes
 * @param ropeTheta     RoPE frequency base
 * @param rmsEps        RMSNorm epsilon
 */
public record QwenModelSpec(String name, int vocabSize, int nEmbd, int nFf, int nLayer, int nHead,
                            int nHeadKv, int contextLength, TensorType tensorType, long seed,
                            float ropeTheta, float rmsEps) {

    public QwenModelSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (tensorType == null) throw new IllegalArgumentException("tensorType is required");
        if (vocabSize <= 0 || nEmbd <= 0 || nFf <= 0 || nLayer <= 0 || nHead <= 0 || nHeadKv <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (nEmbd % nHead != 0) throw new IllegalArgumentException("nEmbd must be a multiple of nHead");
        if (nHead % nHeadKv != 0) throw new IllegalArgumentException("nHead must be a multiple of nHeadKv");
        // RoPE rotates pairs of dimensions, so an odd head size cannot work.
        if ((nEmbd / nHead) % 2 != 0) throw new IllegalArgumentException("head dimension must be even");
        // Every matrix has nEmbd or nFf as its row length (ne0), and quantized rows are whole blocks.
        if (nEmbd % tensorType.blockSize != 0 || nFf % tensorType.blockSize != 0) {
            throw new IllegalArgumentException(tensorType + " needs nEmbd and nFf to be multiples of " + tensorType.blockSize);
        }
    }

    /**
     * A model small enough to write in milliseconds and load in well under a second, but with
     * every feature llama.cpp's qwen2 graph uses (GQA, q/k/v biases, tied embeddings). Vocab is
     * 512 so the byte tokens, the merged pieces and the specials fit with some padding left over.
     */
    public static QwenModelSpec tiny() {
        return tiny(TensorType.F32);
    }

    public static QwenModelSpec tiny(TensorType type) {
        return new QwenModelSpec("inventiv-tiny-qwen2", 512, 64, 128, 2, 4, 2, 4096, type, 42L, 1_000_000f, 1e-6f);
    }

    /** Qwen2.5-0.5B's exact shape with random weights: a realistic load for benchmarks. */
    public static QwenModelSpec qwen25_05b(TensorType type) {
        return new QwenModelSpec("inventiv-qwen2.5-0.5b-shape", 151_936, 896, 4864, 24, 14, 2, 32_768, type, 42L, 1_000_000f, 1e-6f);
    }

    public QwenModelSpec withType(TensorType type) {
        return new QwenModelSpec(name, vocabSize, nEmbd, nFf, nLayer, nHead, nHeadKv, contextLength, type, seed, ropeTheta, rmsEps);
    }

    public QwenModelSpec withSeed(long newSeed) {
        return new QwenModelSpec(name, vocabSize, nEmbd, nFf, nLayer, nHead, nHeadKv, contextLength, tensorType, newSeed, ropeTheta, rmsEps);
    }

    public int headDim() { return nEmbd / nHead; }

    /** Width of the K and V projections. */
    public int nEmbdKv() { return headDim() * nHeadKv; }

    /** Total number of weights (embedding counted once, since it is tied to the output). */
    public long parameterCount() {
        long perLayer = 2L * nEmbd                                  // attn_norm, ffn_norm
                + (long) nEmbd * nEmbd + nEmbd                      // q + bias
                + 2L * ((long) nEmbd * nEmbdKv() + nEmbdKv())       // k, v + biases
                + (long) nEmbd * nEmbd                              // attn_output
                + 3L * nEmbd * nFf;                                 // gate, up, down
        return (long) vocabSize * nEmbd + nEmbd + perLayer * nLayer;
    }
}
