package io.inventiv.worker.tools.gguf;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.engine.SamplingParams;
import io.inventiv.worker.engine.jni.NativeContext;
import io.inventiv.worker.engine.jni.NativeLibrary;
import io.inventiv.worker.engine.jni.NativeModel;
import io.inventiv.worker.engine.jni.NativeSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fixture GGUF loaded by the engine under test ({@code TestModels.ENGINE}): the binding's
 * llama.cpp b4916, or our native layer over the pinned release. Both must accept what the writer
 * writes.
 */
abstract class LoadedFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static LoadedFixture open(Path file) {
        return TestModels.ENGINE.equals("native") ? new Native(file) : new Binding(file);
    }

    abstract int[] encode(String text);

    abstract String decode(int[] ids);

    /** The file's chat template applied to {@code {"messages":[...]}}, with the generation prompt. */
    abstract String chatTemplate(String messagesObject);

    /** The text of each of {@code tokens} greedy tokens, end-of-generation masked, from a cold cache. */
    abstract List<String> greedy(String prompt, int tokens);

    @Override
    public abstract void close();

    private static final class Binding extends LoadedFixture {
        private final LlamaModel model;

        Binding(Path file) {
            model = new LlamaModel(new ModelParameters().setModel(file.toString()).setCtxSize(512).setThreads(2)
                    .enableJinja());
        }

        @Override
        int[] encode(String text) {
            return model.encode(text);
        }

        @Override
        String decode(int[] ids) {
            return model.decode(ids);
        }

        @Override
        String chatTemplate(String messagesObject) {
            return model.applyTemplate(messagesObject);
        }

        @Override
        List<String> greedy(String prompt, int tokens) {
            // No prompt cache: a prompt partly reused from the slot is evaluated in other batch sizes,
            // whose sums can round differently and flip a near-tie of these random weights.
            InferenceParameters parameters = new InferenceParameters(prompt).setNPredict(tokens).setIgnoreEos(true)
                    .setTemperature(0).setCachePrompt(false);
            List<String> texts = new ArrayList<>();
            for (LlamaOutput output : model.generate(parameters)) {
                texts.add(output.text);
            }
            // One output per token, then a final one that carries no token.
            return texts.subList(0, texts.size() - 1);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private static final class Native extends LoadedFixture {
        private final NativeModel model;
        private final NativeContext context;

        Native(Path file) {
            NativeLibrary.load(NativeLibrary.defaultFolder());
            try {
                model = NativeModel.load(file, 0);
            } catch (io.inventiv.worker.engine.ModelLoadException e) {
                throw new IllegalStateException(e);
            }
            context = model.newContext(512, 1, 512, 2);
        }

        @Override
        int[] encode(String text) {
            return model.tokenize(text);
        }

        @Override
        String decode(int[] ids) {
            return model.detokenize(ids);
        }

        @Override
        String chatTemplate(String messagesObject) {
            try {
                return model.chatPrompt(JSON.readTree(messagesObject).get("messages").toString(), null);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        List<String> greedy(String prompt, int tokens) {
            int[] ids = model.tokenize(prompt);
            int[] endOfGeneration = model.endOfGenerationTokens();
            float[] masked = new float[endOfGeneration.length];
            Arrays.fill(masked, Float.NEGATIVE_INFINITY);
            context.truncate(0, 0);
            int row = -1;
            for (int i = 0; i < ids.length; i++) {
                row = context.add(ids[i], i, 0, i == ids.length - 1);
            }
            context.decode();
            List<String> texts = new ArrayList<>();
            try (NativeSampler sampler = context.newSampler(new SamplingParams(tokens, 0, 1, 0, 0, 0, 0, 1, true, 1),
                    null, endOfGeneration, masked, 0)) {
                for (int n = 0; n < tokens; n++) {
                    int token = context.sample(sampler, row);
                    texts.add(model.detokenize(new int[] {token}));
                    row = context.add(token, ids.length + n, 0, true);
                    context.decode();
                }
            }
            return texts;
        }

        @Override
        public void close() {
            context.close();
            model.close();
        }
    }
}
