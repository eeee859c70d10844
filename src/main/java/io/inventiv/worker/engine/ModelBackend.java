package io.inventiv.worker.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
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

    /** The model's chat template applied to validated OpenAI-shaped messages. */
    String chatPrompt(ArrayNode messages);

    /** What /version and the start-up line say about this engine (llama.cpp release, CPU variant...). */
    Map<String, Object> describe();

    /** Starts the scheduler that runs generations on this backend. */
    SlotScheduler startScheduler(EngineSettings settings, EngineListener listener);
}
