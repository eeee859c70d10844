package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;

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
 * @param fileType      how the 2-D weight matrices are encoded (see {@link FileType}); norms and
 *                      biases are always F32
 * @param seed          weights are a pure function of the spec, so the same seed gives the same bytes
 * @param ropeTheta     RoPE frequency base
 * @param rmsEps        RMSNorm epsilon
 */
public record QwenModelSpec(String name, int vocabSize, int nEmbd, int nFf, int nLayer, int nHead,
                            int nHeadKv, int contextLength, FileType fileType, long seed,
                            float ropeTheta, float rmsEps) {

    /** The weight matrices of a qwen2 model; all but the embedding exist once per block. */
    public enum Weight { TOKEN_EMBD, ATTN_Q, ATTN_K, ATTN_V, ATTN_OUTPUT, FFN_GATE, FFN_UP, FFN_DOWN }

    /**
     * llama.cpp's file types ({@code llama_ftype}, stored as {@code general.file_type}): which
     * encoding each weight matrix gets. F32 to Q8_0 use one encoding for every matrix, like
     * {@code llama-quantize --pure} (without it, llama-quantize would also move the tied
     * token_embd to Q6_K, or Q8_0 if its rows do not fit). {@link #Q4_K_M} is llama.cpp's mix,
     * tensor by tensor as {@code llama_tensor_get_type} (src/llama-quant.cpp) chooses it for a
     * tied-embedding qwen2:
     * <ul>
     *   <li>token_embd, which doubles as the output matrix, gets the output's type: Q6_K, or
     *       Q8_0 when its rows are not whole 256-element super-blocks;</li>
     *   <li>attn_v and ffn_down get Q6_K in the blocks where {@code use_more_bits} holds (the
     *       first and last eighth of the blocks and every third one between), Q4_K elsewhere;</li>
     *   <li>every other matrix gets Q4_K;</li>
     *   <li>then, for rows that are not whole super-blocks, Q4_K falls back to Q5_0 and Q6_K to
     *       Q8_0, as llama.cpp does for incompatible shapes.</li>
     * </ul>
     * For Qwen2.5-0.5B (896-wide rows, 4864-wide for ffn_down) this gives what the published
     * Q4_K_M file holds: token_embd Q8_0; attn_v Q8_0 in 12 blocks and Q5_0 in 12; ffn_down Q6_K
     * in 12 and Q4_K in 12; every other matrix Q5_0.
     */
    public enum FileType {
        F32(0, TensorType.F32), F16(1, TensorType.F16), Q4_0(2, TensorType.Q4_0), Q8_0(7, TensorType.Q8_0),
        Q4_K_M(15, TensorType.Q4_K);

        /** The {@code general.file_type} value. */
        public final int id;
        private final TensorType base;

        FileType(int id, TensorType base) { this.id = id; this.base = base; }

        /** The pure file type whose matrices are all {@code type}. */
        public static FileType of(TensorType type) {
            for (FileType f : values()) if (f != Q4_K_M && f.base == type) return f;
            throw new IllegalArgumentException("no pure file type for " + type);
        }

        public boolean isQuantized() { return this != F32 && this != F16; }

        /** The encoding of {@code weight} in block {@code layer} of {@code nLayer}, whose rows are {@code rowLength} long. */
        public TensorType typeOf(Weight weight, int layer, int nLayer, long rowLength) {
            if (this != Q4_K_M) return base;
            TensorType type = switch (weight) {
                case TOKEN_EMBD -> rowLength % TensorType.Q4_K.blockSize == 0 ? TensorType.Q6_K : TensorType.Q8_0;
                case ATTN_V, FFN_DOWN -> useMoreBits(layer, nLayer) ? TensorType.Q6_K : TensorType.Q4_K;
                default -> TensorType.Q4_K;
            };
            if (rowLength % type.blockSize != 0) {
                type = type == TensorType.Q6_K ? TensorType.Q8_0 : TensorType.Q5_0;
            }
            return type;
        }

        /** llama.cpp's rule for the blocks whose attn_v and ffn_down get more bits. */
        static boolean useMoreBits(int layer, int nLayer) {
            return layer < nLayer / 8 || layer >= 7 * nLayer / 8 || (layer - nLayer / 8) % 3 == 2;
        }
    }

    public QwenModelSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (fileType == null) throw new IllegalArgumentException("fileType is required");
        if (vocabSize <= 0 || nEmbd <= 0 || nFf <= 0 || nLayer <= 0 || nHead <= 0 || nHeadKv <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (nEmbd % nHead != 0) throw new IllegalArgumentException("nEmbd must be a multiple of nHead");
        if (nHead % nHeadKv != 0) throw new IllegalArgumentException("nHead must be a multiple of nHeadKv");
        // RoPE rotates pairs of dimensions, so an odd head size cannot work.
        if ((nEmbd / nHead) % 2 != 0) throw new IllegalArgumentException("head dimension must be even");
        // Every matrix has nEmbd or nFf as its row length (ne0), and quantized rows are whole blocks.
        for (Weight weight : Weight.values()) {
            for (int layer = 0; layer < nLayer; layer++) {
                long rowLength = weight == Weight.FFN_DOWN ? nFf : nEmbd;
                TensorType type = fileType.typeOf(weight, layer, nLayer, rowLength);
                if (rowLength % type.blockSize != 0) {
                    throw new IllegalArgumentException(fileType + " needs nEmbd and nFf to be multiples of " + type.blockSize);
                }
            }
        }
    }

    /**
     * A model small enough to write in milliseconds and load in well under a second, but with
     * every feature llama.cpp's qwen2 graph uses (GQA, q/k/v biases, tied embeddings). Vocab is
     * 512 so the byte tokens, the merged pieces and the specials fit with some padding left over.
     */
    public static QwenModelSpec tiny() {
        return tiny(FileType.F32);
    }

    public static QwenModelSpec tiny(FileType type) {
        return new QwenModelSpec("inventiv-tiny-qwen2", 512, 64, 128, 2, 4, 2, 4096, type, 42L, 1_000_000f, 1e-6f);
    }

    public static QwenModelSpec tiny(TensorType type) {
        return tiny(FileType.of(type));
    }

    /**
     * Qwen2.5-0.5B's exact shape with random weights: a realistic load for benchmarks. With
     * {@link FileType#Q4_K_M} every tensor also has the published Q4_K_M file's encoding, so a
     * token costs the same compute and memory traffic as with the real model.
     */
    public static QwenModelSpec qwen25_05b(FileType type) {
        return new QwenModelSpec("inventiv-qwen2.5-0.5b-shape", 151_936, 896, 4864, 24, 14, 2, 32_768, type, 42L, 1_000_000f, 1e-6f);
    }

    public static QwenModelSpec qwen25_05b(TensorType type) {
        return qwen25_05b(FileType.of(type));
    }

    public QwenModelSpec withType(FileType type) {
        return new QwenModelSpec(name, vocabSize, nEmbd, nFf, nLayer, nHead, nHeadKv, contextLength, type, seed, ropeTheta, rmsEps);
    }

    public QwenModelSpec withType(TensorType type) {
        return withType(FileType.of(type));
    }

    public QwenModelSpec withSeed(long newSeed) {
        return new QwenModelSpec(name, vocabSize, nEmbd, nFf, nLayer, nHead, nHeadKv, contextLength, fileType, newSeed, ropeTheta, rmsEps);
    }

    /** The encoding of {@code weight} in block {@code layer} (ignored for the embedding). */
    public TensorType typeOf(Weight weight, int layer) {
        return fileType.typeOf(weight, layer, nLayer, weight == Weight.FFN_DOWN ? nFf : nEmbd);
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
