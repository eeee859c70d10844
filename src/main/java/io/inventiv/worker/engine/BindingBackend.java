package io.inventiv.worker.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventiv.worker.engine.binding.LlamaBinding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The zero-build engine: de.kherud:llama 4.2.0, a prebuilt llama.cpp b4916, one thread per slot. */
public final class BindingBackend implements ModelBackend {
    public static final String LLAMA_CPP_BUILD = "b4916";
    public static final String BINDING_VERSION = "4.2.0";

    private final LlamaBinding binding;

    public BindingBackend(LlamaBinding binding) {
        this.binding = binding;
    }

    @Override
    public String name() {
        return "binding";
    }

    @Override
    public ModelFacts facts() {
        return binding.facts();
    }

    @Override
    public int[] tokenize(String text) {
        return binding.tokenize(text);
    }

    @Override
    public String detokenize(int[] tokens) {
        return binding.detokenize(tokens);
    }

    @Override
    public String chatPrompt(ArrayNode messages, ArrayNode tools) {
        if (tools != null) {
            throw EngineException.invalid("tools need ENGINE=native: the binding engine does not run the model's "
                    + "Jinja template.", "tools");
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("messages", messages);
        // Built from validated records, so the native side always gets {"messages":[...]}.
        return binding.applyChatTemplate(root.toString());
    }

    /**
     * Refuses every grammar: the binding ignores an invalid one silently, and its llama.cpp lets
     * broken UTF-8 through a grammar, so its answers could break their schema.
     */
    @Override
    public void checkGrammar(GrammarConstraint constraint) {
        throw EngineException.invalid(constraint.param() + " needs ENGINE=native: the binding engine cannot "
                + "enforce structured outputs exactly.", constraint.param());
    }

    @Override
    public List<float[]> embed(List<int[]> sequences) {
        throw EngineException.invalid("Embeddings need ENGINE=native: the binding engine has no pooled "
                + "embeddings.", "input");
    }

    @Override
    public boolean sharesPrompts() {
        return false;
    }

    @Override
    public boolean reportsLogprobs() {
        return false;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("engine", name());
        about.put("llama_cpp", LLAMA_CPP_BUILD);
        about.put("binding", BINDING_VERSION);
        return about;
    }

    @Override
    public SlotScheduler startScheduler(EngineSettings settings, EngineListener listener) {
        return new ThreadPerSlotScheduler(settings.parallel(), settings.maxQueue(),
                new GenerationRunner(binding, listener, settings.tokenDelayMillis()), listener);
    }
}
