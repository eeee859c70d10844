package io.inventiv.worker.engine.jni;

import io.inventiv.worker.engine.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A model loaded by our own native layer, with its vocabulary and chat templates. Loaded once for
 * the life of the process. Tokenizing, detokenizing and templating are safe from any thread.
 */
public final class NativeModel implements AutoCloseable {
    private final long model;
    private final long templates;
    private final int vocabSize;
    private final int bosToken;
    private final boolean addBos;
    private final int trainContext;
    private final String description;
    private final boolean[] endOfGeneration;
    private final int[] endOfGenerationIds;
    private final byte[] pieces;
    private final int[] pieceOffsets;
    private final int[] unsafeUtf8;
    private boolean closed;

    private NativeModel(long model, long templates) {
        this.model = model;
        this.templates = templates;
        int[] facts = LlamaNative.modelFacts(model);
        this.vocabSize = facts[0];
        this.bosToken = facts[1];
        this.addBos = facts[3] != 0;
        this.trainContext = facts[4];
        this.description = LlamaNative.modelDescription(model);
        this.endOfGenerationIds = LlamaNative.endOfGenerationTokens(model);
        this.endOfGeneration = new boolean[vocabSize];
        for (int id : endOfGenerationIds) {
            endOfGeneration[id] = true;
        }
        this.pieceOffsets = new int[vocabSize + 1];
        this.pieces = LlamaNative.vocabPieces(model, pieceOffsets);
        this.unsafeUtf8 = unsafeUtf8Tokens(pieces, pieceOffsets);
    }

    private static int[] unsafeUtf8Tokens(byte[] pieces, int[] offsets) {
        return java.util.stream.IntStream.range(0, offsets.length - 1)
                .filter(token -> !Utf8Fragments.isSafe(pieces, offsets[token], offsets[token + 1])).toArray();
    }

    /** Loads the GGUF file with {@code gpuLayers} layers offloaded (-1: all). */
    public static NativeModel load(Path path, int gpuLayers) throws ModelLoadException {
        return load(path, gpuLayers, null);
    }

    /** The same; {@code progress} (or null) hears how much of the file is read, from 0 to 1. */
    public static NativeModel load(Path path, int gpuLayers, java.util.function.DoubleConsumer progress)
            throws ModelLoadException {
        long model;
        try {
            model = LlamaNative.modelLoad(path.toString().getBytes(StandardCharsets.UTF_8), gpuLayers, progress);
        } catch (NativeException | IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        long templates;
        try {
            templates = LlamaNative.templatesNew(model, null);
        } catch (NativeException e) {
            LlamaNative.modelFree(model);
            throw new ModelLoadException("the model's chat template cannot be used: " + e.getMessage(), e);
        }
        return new NativeModel(model, templates);
    }

    long handle() {
        return model;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int bosToken() {
        return bosToken;
    }

    public boolean addBos() {
        return addBos;
    }

    public int trainContext() {
        return trainContext;
    }

    /** llama.cpp's one-line description, e.g. "qwen2 1B Q4_K - Medium". */
    public String description() {
        return description;
    }

    public int[] endOfGenerationTokens() {
        return endOfGenerationIds.clone();
    }

    /**
     * Tokens whose bytes llama.cpp's grammar would misread ({@link Utf8Fragments}): constrained
     * generations leave them out, so that their text is the grammar's.
     */
    public int[] unsafeUtf8Tokens() {
        return unsafeUtf8.clone();
    }

    /** Whether sampling this token ends a generation (EOS, EOT, <|im_end|>, ...). */
    public boolean isEndOfGeneration(int token) {
        return token >= 0 && token < vocabSize && endOfGeneration[token];
    }

    /** The bytes of a token's text (empty for special tokens). */
    public byte[] pieceBytes(int token) {
        return java.util.Arrays.copyOfRange(pieces, pieceOffsets[token], pieceOffsets[token + 1]);
    }

    /** Appends the UTF-8 bytes of a generated token to {@code out} (special tokens add none). */
    public void appendPiece(int token, Utf8Assembler out) {
        out.append(pieces, pieceOffsets[token], pieceOffsets[token + 1] - pieceOffsets[token]);
    }

    /** Tokens of a text; special tokens written in it are parsed; no BOS is added. */
    public int[] tokenize(String text) {
        return LlamaNative.tokenize(model, text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Text of token ids (special tokens rendered); ids outside the vocabulary are refused. */
    public String detokenize(int[] tokens) {
        return new String(LlamaNative.detokenize(model, tokens, true), StandardCharsets.UTF_8);
    }

    /** The model's chat template applied to OpenAI-shaped messages and tools (JSON arrays; tools may be null). */
    public String chatPrompt(String messagesJson, String toolsJson) {
        return new String(LlamaNative.applyTemplate(templates, messagesJson.getBytes(StandardCharsets.UTF_8),
                toolsJson == null ? null : toolsJson.getBytes(StandardCharsets.UTF_8), true), StandardCharsets.UTF_8);
    }

    /** A context that pools whole sequences of up to {@code maxTokens} into one embedding. */
    public NativeEmbedder newEmbedder(int maxTokens, int threads, NativeEmbedder.Pooling pooling) {
        return new NativeEmbedder(LlamaNative.embeddingContextNew(model, maxTokens, threads, pooling.llamaValue()));
    }

    /** Parses a GBNF grammar as a sampler would; IllegalArgumentException says why it is invalid. */
    public void checkGrammar(String gbnf) {
        long sampler = LlamaNative.samplerNew(model, 1.0f, 0, 1.0f, 0.0f, 0, 1.0f, 0.0f, 0.0f, -1,
                gbnf.getBytes(StandardCharsets.UTF_8), null, null);
        LlamaNative.samplerFree(sampler);
    }

    /** A context over this model: {@code sequences} slots of {@code perSequence} tokens each. */
    public NativeContext newContext(int perSequence, int sequences, int batch, int threads) {
        return new NativeContext(this, perSequence, sequences, batch, threads);
    }

    /**
     * Frees the model. The server keeps its model for the life of the process; tools and tests that
     * load several close them. No context of this model may be used afterwards.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LlamaNative.templatesFree(templates);
            LlamaNative.modelFree(model);
        }
    }

    @Override
    public String toString() {
        return description + " (" + vocabSize + " tokens, EOG " + Arrays.toString(endOfGenerationIds) + ")";
    }
}
