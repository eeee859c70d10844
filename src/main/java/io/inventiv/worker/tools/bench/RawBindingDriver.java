package io.inventiv.worker.tools.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import io.inventiv.worker.engine.binding.LlamaBinding;
import io.inventiv.worker.engine.binding.ModelLoadOptions;
import io.inventiv.worker.engine.binding.LoadingThread;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The baseline: the same generation straight through {@code de.kherud:llama}, with none of our
 * code in the way (no engine, no scheduler, no logger callback, no HTTP). The only code besides
 * {@code LlamaBinding} that imports the binding, on purpose: it measures the binding itself.
 *
 * <p>The model is loaded with the server's settings ({@code N_CTX × N_PARALLEL} context split
 * into {@code N_PARALLEL} slots, context shift off, continuous batching), and each request
 * sets the same sampling fields the server sets. The prompt goes as token ids through the
 * binding's parameter map, as the server does, so both evaluate exactly the same tokens.
 */
public final class RawBindingDriver implements StreamDriver {
    private final LlamaModel model;
    private final BenchPrompt prompt;
    private final BenchSampling sampling;

    private RawBindingDriver(LlamaModel model, BenchPrompt prompt, BenchSampling sampling) {
        this.model = model;
        this.prompt = prompt;
        this.sampling = sampling;
    }

    /**
     * Loads the model (never closed: the binding's close frees almost nothing) exactly as the
     * server does, llama.cpp's console log off: loaded otherwise, on a thread that lives on, the
     * binding decodes slower (see {@link LoadingThread}), and the baseline would flatter us. No
     * logger callback is set, unlike the server.
     */
    public static RawBindingDriver load(Path modelPath, int maxModelLen, int parallel, int threads, int nice,
            int promptTokens, BenchSampling sampling) throws Exception {
        LlamaModel model = LlamaBinding.loadModel(new ModelLoadOptions(modelPath,
                maxModelLen * parallel, parallel, threads, 0, nice, false));
        return new RawBindingDriver(model, BenchPrompt.ofTokens(promptTokens, model::encode), sampling);
    }

    @Override
    public StreamResult run(int requestIndex, int maxTokens) {
        InferenceParameters parameters = new InferenceParameters("")
                .setNPredict(maxTokens)
                .setTemperature((float) sampling.temperature())
                .setTopP((float) sampling.topP())
                .setTopK(sampling.topK())
                .setMinP((float) sampling.minP())
                .setPresencePenalty(0f)
                .setFrequencyPenalty(0f)
                .setRepeatPenalty(1f)
                .setIgnoreEos(true)
                .setCachePrompt(true);
        int[] tokens = prompt.tokens(requestIndex);
        PromptField.put(parameters, Arrays.stream(tokens).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]")));
        long start = System.nanoTime();
        DeltaClock clock = new DeltaClock(start);
        try {
            LlamaIterator iterator = (LlamaIterator) model.generate(parameters).iterator();
            while (iterator.hasNext()) {
                LlamaOutput output = iterator.next();
                long now = System.nanoTime();
                if (!iterator.hasNext()) {
                    break; // the final output carries the stop flag, not a token
                }
                clock.onDelta(now);
                output.text.length(); // read like a consumer would; the string is already built
            }
        } catch (RuntimeException e) {
            return StreamResult.failed("native", e.toString(), start, System.nanoTime());
        }
        return clock.result(null, null, System.nanoTime(), clock.deltas(), tokens.length);
    }

    /** The binding only takes a text prompt publicly; its parameter map also takes token ids. */
    private static final class PromptField {
        private static final Field MAP = field();

        @SuppressWarnings("unchecked")
        static void put(InferenceParameters parameters, String json) {
            try {
                ((Map<String, String>) MAP.get(parameters)).put("prompt", json);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Field field() {
            try {
                Field field = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError("unsupported de.kherud:llama version: " + e);
            }
        }
    }
}
