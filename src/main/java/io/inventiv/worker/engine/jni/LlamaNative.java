package io.inventiv.worker.engine.jni;

import java.nio.charset.StandardCharsets;

/**
 * The JNI surface of {@code libworker_llama} (native/jni/). Every method validates its input in
 * native code and throws {@link IllegalArgumentException} for a caller error or
 * {@link NativeException} for a llama.cpp failure; none can abort the JVM. Handles are only
 * created and freed by the wrappers in this package, which never pass a freed one.
 */
final class LlamaNative {
    private static final System.Logger NATIVE_LOG = System.getLogger("llama.cpp");

    private LlamaNative() {
    }

    /** ggml's log levels, as the native callback passes them. */
    static final int LOG_DEBUG = 1;
    static final int LOG_INFO = 2;
    static final int LOG_WARN = 3;
    static final int LOG_ERROR = 4;

    /** Called by native code for each log line of llama.cpp at or above {@link #setLogLevel}. */
    static void log(int level, byte[] utf8) {
        System.Logger.Level javaLevel = switch (level) {
            case LOG_ERROR -> System.Logger.Level.ERROR;
            case LOG_WARN -> System.Logger.Level.WARNING;
            case LOG_INFO -> System.Logger.Level.INFO;
            default -> System.Logger.Level.DEBUG;
        };
        if (NATIVE_LOG.isLoggable(javaLevel)) {
            NATIVE_LOG.log(javaLevel, new String(utf8, StandardCharsets.UTF_8).stripTrailing());
        }
    }

    static native void setLogLevel(int level);

    static native void backendInit(byte[] libraryFolder);

    static native String systemInfo();

    static native String devices();

    /** {@code progress} (or null) hears how much of the file is read, 0 to 1, on this thread. */
    static native long modelLoad(byte[] path, int gpuLayers, java.util.function.DoubleConsumer progress);

    static native void modelFree(long model);

    /** [n_vocab, bos, eos, add_bos, n_ctx_train, n_layer, n_embd]. */
    static native int[] modelFacts(long model);

    static native String modelDescription(long model);

    static native int[] endOfGenerationTokens(long model);

    static native byte[] vocabPieces(long model, int[] offsetsOut);

    static native int[] tokenize(long model, byte[] utf8, boolean addSpecial);

    static native byte[] detokenize(long model, int[] tokens, boolean renderSpecial);

    static native long templatesNew(long model, byte[] overrideTemplate);

    static native void templatesFree(long templates);

    static native byte[] applyTemplate(long templates, byte[] messagesJson, byte[] toolsJson, boolean addGenerationPrompt);

    static native long contextNew(long model, int nCtx, int nSeq, int nBatch, int threads, int threadsBatch);

    static native void contextFree(long context);

    static native int contextSeqLength(long context);

    static native int contextBatchRows(long context);

    static native int decode(long context, int rows, int[] tokens, int[] positions, int[] seqIds, boolean[] outputs);

    static native boolean sequenceRemove(long context, int seq, int fromPosition, int toPosition);

    static native void sequenceCopy(long context, int source, int target);

    /** [logprob of token, top 1, ..., top n]; the top ids go to {@code topIds} (its length is n). */
    static native float[] logprobs(long context, int row, int token, int[] topIds);

    static native long embeddingContextNew(long model, int nCtx, int threads, int pooling);

    static native float[] embed(long context, int[] tokens);

    static native long samplerNew(long model, float temperature, int topK, float topP, float minP, int penaltyLastN,
            float repeatPenalty, float frequencyPenalty, float presencePenalty, long seed, byte[] grammar,
            int[] biasIds, float[] biasValues);

    static native void samplerFree(long sampler);

    static native int sample(long sampler, long context, int row);
}
