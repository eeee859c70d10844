package io.inventiv.worker.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.inventiv.worker.engine.jni.NativeContext;
import io.inventiv.worker.engine.jni.NativeLibrary;
import io.inventiv.worker.engine.jni.NativeModel;
import java.nio.file.Path;
import io.inventiv.worker.engine.jni.NativeEmbedder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Our own engine: the JNI layer in native/ over a current llama.cpp, and one decode loop in Java. */
public final class NativeBackend implements ModelBackend {
    /** Rows of one batch: prompt chunks and every slot's next token. */
    static final int BATCH = 512;

    private final NativeLibrary library;
    private final NativeModel model;
    private final ModelFacts facts;
    private final int threads;
    /** One platform thread runs every embedding, so no virtual thread pins its carrier in native code. */
    private final java.util.concurrent.ExecutorService embedding = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("embedder").factory());
    private volatile int maxModelLen;
    private NativeEmbedder embedder;

    private NativeBackend(NativeLibrary library, NativeModel model, ModelFacts facts, int threads) {
        this.library = library;
        this.model = model;
        this.facts = facts;
        this.threads = threads;
    }

    /** Loads the model through the native library; {@code inspected} are the GGUF header's facts. */
    public static NativeBackend load(NativeLibrary library, Path modelPath, ModelFacts inspected, int gpuLayers,
            int threads) throws ModelLoadException {
        return load(library, modelPath, inspected, gpuLayers, threads, null);
    }

    /** The same; {@code progress} (or null) hears how much of the file is read, from 0 to 1. */
    public static NativeBackend load(NativeLibrary library, Path modelPath, ModelFacts inspected, int gpuLayers,
            int threads, java.util.function.DoubleConsumer progress) throws ModelLoadException {
        NativeModel model = NativeModel.load(modelPath, gpuLayers, progress);
        Set<Integer> endOfGeneration = IntStream.of(model.endOfGenerationTokens()).boxed().collect(Collectors.toSet());
        ModelFacts facts = new ModelFacts(model.vocabSize(), model.bosToken(), model.addBos(),
                model.trainContext() > 0 ? model.trainContext() : inspected.trainContext(), inspected.architecture(),
                inspected.hasChatTemplate(), endOfGeneration);
        return new NativeBackend(library, model, facts, threads);
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public ModelFacts facts() {
        return facts;
    }

    @Override
    public int[] tokenize(String text) {
        return TokenizerGuard.tokenize(text, model::tokenize);
    }

    @Override
    public String detokenize(int[] tokens) {
        return model.detokenize(tokens);
    }

    @Override
    public String chatPrompt(ArrayNode messages, ArrayNode tools) {
        return model.chatPrompt(messages.toString(), tools == null ? null : tools.toString());
    }

    @Override
    public void checkGrammar(GrammarConstraint constraint) {
        try {
            model.checkGrammar(constraint.gbnf());
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid(constraint.param() + ": " + e.getMessage(), constraint.param());
        }
    }

    /** The embedding context is made on first use: a server that never embeds never pays for it. */
    @Override
    public List<float[]> embed(List<int[]> sequences) {
        java.util.concurrent.Future<List<float[]>> result = embedding.submit(() -> {
            if (embedder == null) {
                embedder = model.newEmbedder(maxModelLen, threads, NativeEmbedder.Pooling.MEAN);
            }
            return sequences.stream().map(embedder::embed).toList();
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "interrupted while embedding", null);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw EngineException.invalid(invalid.getMessage(), "input");
            }
            throw new IllegalStateException("embedding failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean sharesPrompts() {
        return true;
    }

    @Override
    public boolean reportsLogprobs() {
        return true;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("engine", name());
        about.put("llama_cpp", library.release() + " (" + library.commit() + ")");
        about.put("build", library.flavor());
        about.put("cpu", library.cpuFeatures().strip());
        return about;
    }

    @Override
    public boolean freesOnClose() {
        return true;
    }

    /** Frees the embedding context on its own thread, then the model. */
    @Override
    public void close() {
        embedding.submit(() -> {
            if (embedder != null) {
                embedder.close();
            }
        });
        embedding.close(); // waits for the task above
        model.close();
    }

    @Override
    public SlotScheduler startScheduler(EngineSettings settings, EngineListener listener) {
        maxModelLen = settings.maxModelLen();
        NativeContext context = model.newContext(settings.maxModelLen(), settings.parallel(), BATCH, threads);
        try {
            context.warmUp(Math.max(0, facts.bosTokenId()));
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return new BatchScheduler(model, context, settings, listener);
    }
}
