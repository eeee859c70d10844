package io.inventiv.worker.engine;

import io.inventiv.worker.gguf.GgufMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What we must know about the model before any native call, read from its GGUF header.
 *
 * @param vocabSize       number of tokens; ids outside [0, vocabSize) abort native decode
 * @param bosTokenId      the BOS id, or -1
 * @param addBos          whether llama.cpp would prepend BOS to a prompt
 * @param trainContext    the context length the model was trained with (0 when unknown)
 * @param architecture    e.g. "qwen2", "llama"
 * @param hasChatTemplate whether the file carries its own template (else llama.cpp uses ChatML)
 * @param endOfGenerationTokens every token that ends a generation when sampled (EOS, EOT, …)
 */
public record ModelFacts(
        int vocabSize, int bosTokenId, boolean addBos, int trainContext, String architecture,
        boolean hasChatTemplate, java.util.Set<Integer> endOfGenerationTokens) {

    /**
     * Refuses a context longer than the model was trained for, as vLLM refuses a max_model_len
     * over the model's max_position_embeddings: llama.cpp would only warn, and answer with text
     * that degrades past the trained length.
     */
    public void requireTrainedFor(int maxModelLen) throws ModelLoadException {
        if (trainContext > 0 && maxModelLen > trainContext) {
            throw new ModelLoadException("N_CTX (max_model_len) " + maxModelLen + " is greater than the "
                    + trainContext + " tokens the model was trained for (" + architecture
                    + ".context_length in the GGUF); set N_CTX to " + trainContext + " or less");
        }
    }

    /**
     * Checks that the path is a readable GGUF file and reads its facts, with a reason a user can
     * act on when it is not. llama.cpp itself only reports "could not load model".
     */
    public static ModelFacts inspect(Path modelPath) throws ModelLoadException {
        if (!Files.exists(modelPath)) {
            throw new ModelLoadException("model file does not exist: " + modelPath);
        }
        if (Files.isDirectory(modelPath)) {
            throw new ModelLoadException("model path is a directory, not a GGUF file: " + modelPath);
        }
        if (!Files.isReadable(modelPath)) {
            throw new ModelLoadException("model file is not readable (check permissions): " + modelPath);
        }
        GgufMetadata gguf;
        try {
            gguf = GgufMetadata.read(modelPath);
        } catch (IOException e) {
            throw new ModelLoadException("cannot use " + modelPath + ": " + e.getMessage());
        }
        String architecture = gguf.string("general.architecture").orElse("unknown");
        if (gguf.vocabSize() <= 0) {
            throw new ModelLoadException("cannot use " + modelPath + ": the GGUF file has no tokenizer vocabulary");
        }
        String tokenizerModel = gguf.string("tokenizer.ggml.model").orElse("");
        // llama.cpp's default when the key is absent: SentencePiece and WordPiece add BOS, BPE does not.
        boolean defaultAddBos = tokenizerModel.equals("llama") || tokenizerModel.equals("bert");
        return new ModelFacts(
                Math.toIntExact(gguf.vocabSize()),
                gguf.integer("tokenizer.ggml.bos_token_id").map(Long::intValue).orElse(-1),
                gguf.bool("tokenizer.ggml.add_bos_token").orElse(defaultAddBos),
                gguf.integer(architecture + ".context_length").map(Long::intValue).orElse(0),
                architecture,
                gguf.string("tokenizer.chat_template").isPresent(),
                endOfGeneration(gguf));
    }

    private static java.util.Set<Integer> endOfGeneration(GgufMetadata gguf) {
        java.util.Set<Integer> ids = new java.util.TreeSet<>(gguf.endOfGenerationTokens());
        for (String key : new String[] {"eos_token_id", "eot_token_id", "eom_token_id"}) {
            gguf.integer("tokenizer.ggml." + key).filter(id -> id >= 0 && id < gguf.vocabSize())
                    .ifPresent(id -> ids.add(id.intValue()));
        }
        return java.util.Set.copyOf(ids);
    }

    /** Throws unless every id is inside the vocabulary. */
    public void requireValidTokens(int[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                throw new InvalidTokenException(i, tokens[i], vocabSize);
            }
        }
    }

    /** A token id outside the vocabulary, found before it could reach native code. */
    public static final class InvalidTokenException extends IllegalArgumentException {
        public InvalidTokenException(int index, int token, int vocabSize) {
            super("token id " + token + " at position " + index + " is out of range: the vocabulary has "
                    + vocabSize + " tokens (valid ids are 0.." + (vocabSize - 1) + ")");
        }
    }
}
