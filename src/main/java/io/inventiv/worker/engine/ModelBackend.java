package io.inventiv.worker.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Map;

/**
 * One way of running the model: our native layer over a current llama.cpp ({@code ENGINE=native})
 * or the de.kherud:llama binding ({@code ENGINE=binding}). {@link Engine} does the rest alike.
 */
public interface ModelBackend {
    /** "native" or "binding". */
    String name();

    ModelFacts facts();

    /** Tokens of a text, special tokens parsed, no BOS added. */
    int[] tokenize(String text);

    /** Text of token ids that are known to be in the vocabulary. */
    String detokenize(int[] tokens);

    /** The model's chat template applied to validated OpenAI-shaped messages and tools (or null). */
    String chatPrompt(ArrayNode messages, ArrayNode tools);

    /**
     * Refuses a grammar this engine cannot apply exactly, with an {@link EngineException} naming
     * the request field; the grammar is then applied to every sampled token.
     */
    void checkGrammar(GrammarConstraint constraint);

    /**
     * Pooled embeddings (mean over each sequence, not normalized) of token sequences already
     * checked against the vocabulary and the context length.
     */
    List<float[]> embed(List<int[]> sequences);

    /** Whether several choices of one request can share one evaluation of its prompt (n &gt; 1). */
    boolean sharesPrompts();

    /** Whether generations can report their tokens' log-probabilities. */
    boolean reportsLogprobs();

    /** What /version and the start-up line say about this engine (llama.cpp release, CPU variant...). */
    Map<String, Object> describe();

    /** Starts the scheduler that runs generations on this backend. */
    SlotScheduler startScheduler(EngineSettings settings, EngineListener listener);

    /** Whether {@link #close()} gives the model's memory back (the binding's close leaks it). */
    default boolean freesOnClose() {
        return false;
    }

    /** Frees the model once its scheduler has stopped; nothing may use it afterwards. */
    default void close() {
        throw new UnsupportedOperationException(name() + " cannot free its model");
    }
}
