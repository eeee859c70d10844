package io.inventiv.worker.engine.binding;

import io.inventiv.worker.engine.ModelLoadException;
import io.inventiv.worker.engine.SamplingParams;
import io.inventiv.worker.engine.ModelFacts;
import io.inventiv.worker.engine.TokenizerGuard;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import de.kherud.llama.ModelParameters;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The only code that touches {@code de.kherud:llama}. Every value is checked here before it
 * crosses into native code, because several bad inputs abort the whole JVM (exit 134) instead
 * of throwing: template JSON without a messages array, and token ids outside the vocabulary.
 *
 * <p>Thread safety: {@link #tokenize}, {@link #detokenize} and {@link #applyChatTemplate} are
 * safe from any thread; each {@link NativeGeneration} must be driven by one thread.
 */
public final class LlamaBinding {
    /**
     * The binding only accepts the prompt as text, and its own server then tokenizes it again
     * with its own BOS rule. We hand it the exact token ids we counted instead, through the
     * binding's (package-private) parameter map, so that usage is exact by construction.
     */
    private static final Field PARAMETER_MAP = parameterMapField();
    private static final System.Logger NATIVE_LOG = System.getLogger("llama.cpp");

    private final LlamaModel model;
    private final ModelFacts facts;

    private LlamaBinding(LlamaModel model, ModelFacts facts) {
        this.model = model;
        this.facts = facts;
    }

    /**
     * Loads the model once for the life of the process: {@code close()} leaks and leaves a
     * native thread behind, so there is deliberately no close method here.
     */
    public static LlamaBinding load(ModelLoadOptions options, ModelFacts facts) throws ModelLoadException {
        try {
            LlamaModel model = loadModel(options);
            // Set after loading, because loading resets it. Routes llama.cpp's internal log by level.
            LlamaModel.setLogger(LogFormat.TEXT, LlamaBinding::logNative);
            return new LlamaBinding(model, facts);
        } catch (RuntimeException | UnsatisfiedLinkError e) { // LlamaException is not public
            throw new ModelLoadException(e.getMessage(), e);
        } catch (Exception e) { // LlamaModel's constructor declares none; kept whole for the message
            throw new ModelLoadException(e.toString(), e);
        }
    }

    /**
     * The binding's model, loaded as the server loads it: the raw benchmark baseline calls this
     * too, so that both run llama.cpp with the same parameters, threads and priority. On a thread
     * that ends with the load, or OpenMP throttles every token (see {@link LoadingThread}).
     */
    public static LlamaModel loadModel(ModelLoadOptions options) throws Exception {
        ModelParameters parameters = new ModelParameters()
                .setModel(options.modelPath().toString())
                .setCtxSize(options.totalContext())
                .setParallel(options.parallel())
                .setThreads(options.threads())
                .setThreadsBatch(options.threads())
                // Each slot must hold its request whole: we refuse long prompts ourselves.
                .disableContextShift()
                .enableContBatching();
        if (options.gpuLayers() > 0) {
            parameters.setGpuLayers(options.gpuLayers()); // else llama.cpp warns about a missing GPU
        }
        if (!options.nativeConsoleLog()) {
            // Quiet the console; a failed load is explained by NativeLoadProbe, which logs fully.
            parameters.disableLog();
        }
        return LoadingThread.call("model-load", options.nice(), () -> new LlamaModel(parameters));
    }

    private static void logNative(LogLevel level, String message) {
        System.Logger.Level javaLevel = switch (level) {
            case DEBUG -> System.Logger.Level.DEBUG;
            case INFO -> System.Logger.Level.INFO;
            case WARN -> System.Logger.Level.WARNING;
            case ERROR -> System.Logger.Level.ERROR;
        };
        // llama.cpp logs a few debug lines per token: drop them before building any string.
        if (NATIVE_LOG.isLoggable(javaLevel)) {
            NATIVE_LOG.log(javaLevel, message.stripTrailing());
        }
    }

    public ModelFacts facts() {
        return facts;
    }

    /** Tokens for text exactly as the model's tokenizer splits it; special tokens are parsed. */
    public int[] tokenize(String text) {
        return TokenizerGuard.tokenize(text, model::encode);
    }

    /** Text for token ids; refuses ids outside the vocabulary, which abort native decode. */
    public String detokenize(int[] tokens) {
        facts.requireValidTokens(tokens);
        return model.decode(tokens);
    }

    /**
     * Applies the model's chat template. The caller passes messages it has validated and
     * serialized itself; this method still checks the shape because a wrong one kills the JVM.
     */
    public String applyChatTemplate(String messagesJson) {
        if (!messagesJson.startsWith("{\"messages\":[")) {
            throw new IllegalArgumentException("chat template input must be {\"messages\":[...]}");
        }
        return model.applyTemplate(messagesJson);
    }

    /** Starts generating from exact prompt tokens; the caller owns and drives the result. */
    public NativeGeneration start(int[] promptTokens, SamplingParams sampling) {
        facts.requireValidTokens(promptTokens);
        if (promptTokens.length == 0) {
            throw new IllegalArgumentException("prompt must contain at least one token");
        }
        InferenceParameters parameters = new InferenceParameters("")
                .setNPredict(sampling.maxTokens())
                .setTemperature(sampling.temperature())
                .setTopP(sampling.topP())
                .setTopK(sampling.topK())
                .setMinP(sampling.minP())
                .setPresencePenalty(sampling.presencePenalty())
                .setFrequencyPenalty(sampling.frequencyPenalty())
                .setRepeatPenalty(sampling.repetitionPenalty())
                .setIgnoreEos(sampling.ignoreEos())
                // A new request may reuse the slot's cached prefix; results are unchanged.
                .setCachePrompt(true);
        if (sampling.seed() != null) {
            parameters.setSeed(sampling.seed());
        }
        if (sampling.ignoreEos() && !facts.endOfGenerationTokens().isEmpty()) {
            // llama.cpp's ignore_eos masks only some end tokens; a sampled <|endoftext|> would still
            // end a Qwen generation early (measured). Mask every one of them. A large finite bias,
            // because the binding would write -Infinity into JSON, which llama.cpp cannot parse.
            Map<Integer, Float> mask = new java.util.HashMap<>();
            facts.endOfGenerationTokens().forEach(id -> mask.put(id, -1.0e4f));
            parameters.setTokenIdBias(mask);
        }
        putRaw(parameters, "prompt", Arrays.stream(promptTokens)
                .mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")));
        return new NativeGeneration((LlamaIterator) model.generate(parameters).iterator());
    }

    @SuppressWarnings("unchecked")
    private static void putRaw(InferenceParameters parameters, String key, String json) {
        try {
            ((Map<String, String>) PARAMETER_MAP.get(parameters)).put(key, json);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("de.kherud:llama changed its parameter map", e);
        }
    }

    private static Field parameterMapField() {
        try {
            Field field = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("unsupported de.kherud:llama version: " + e);
        }
    }

    /**
     * One running native completion. The binding yields one output per token, except that a
     * token ending inside a UTF-8 character is held back and arrives joined with the next one;
     * then a final output that carries the stop flag.
     */
    public static final class NativeGeneration {
        private final LlamaIterator iterator;

        private NativeGeneration(LlamaIterator iterator) {
            this.iterator = iterator;
        }

        /** Blocks until the next output. Returns null once the final output was consumed. */
        public Piece next() {
            if (!iterator.hasNext()) {
                return null;
            }
            LlamaOutput output = iterator.next();
            return new Piece(output.text, !iterator.hasNext());
        }

        /**
         * Frees the slot. Must be called from the thread that drives {@link #next()}: a cancel
         * from elsewhere would leave that thread blocked forever on a result that never comes.
         */
        public void cancel() {
            if (iterator.hasNext()) {
                iterator.cancel();
            }
        }
    }

    /** One output: its text, and whether it is the final (stop) output. */
    public record Piece(String text, boolean isFinal) {
    }
}
