package io.inventiv.worker.engine.jni;

import io.inventiv.worker.engine.SamplingParams;
import java.nio.charset.StandardCharsets;

/**
 * The KV cache (one sequence per slot) and batched decoding. Used by one thread only: the decode
 * loop's. A batch is filled row by row, then {@link #decode()} runs one llama_decode over it.
 */
public final class NativeContext implements AutoCloseable {
    private final NativeModel model;
    private final long context;
    private final int perSequence;
    private final int capacity;
    private final int sequenceCount;
    private final int[] tokens;
    private final int[] positions;
    private final int[] sequences;
    private final boolean[] outputs;
    private int rows;
    private boolean closed;

    NativeContext(NativeModel model, int perSequence, int sequences, int batch, int threads) {
        this.model = model;
        this.context = LlamaNative.contextNew(model.handle(), perSequence * sequences, sequences, batch, threads,
                threads);
        this.perSequence = LlamaNative.contextSeqLength(context);
        this.capacity = LlamaNative.contextBatchRows(context);
        this.sequenceCount = sequences;
        this.tokens = new int[capacity];
        this.positions = new int[capacity];
        this.sequences = new int[capacity];
        this.outputs = new boolean[capacity];
    }

    /** Frees the KV cache; the decode loop's context lives as long as the process. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LlamaNative.contextFree(context);
        }
    }

    /** Tokens each sequence can hold. */
    public int perSequence() {
        return perSequence;
    }

    /** Rows one batch can hold. */
    public int capacity() {
        return capacity;
    }

    public int rows() {
        return rows;
    }

    /** Adds a row and returns its index, the one to sample from when {@code output} is set. */
    public int add(int token, int position, int sequence, boolean output) {
        tokens[rows] = token;
        positions[rows] = position;
        sequences[rows] = sequence;
        outputs[rows] = output;
        return rows++;
    }

    /** Decodes the filled rows and empties the batch. False when the KV cache had no room. */
    public boolean decode() {
        int n = rows;
        rows = 0;
        return LlamaNative.decode(context, n, tokens, positions, sequences, outputs) == 0;
    }

    /**
     * Runs one full batch through the model, then forgets it. llama.cpp reserves its compute
     * buffer for the largest batch but its pages become resident only when first written; a full
     * batch at load makes them resident at once, so RSS does not step up later under load.
     */
    public void warmUp(int token) {
        int total = Math.min(capacity, perSequence * sequenceCount);
        for (int row = 0; row < total; row++) {
            int sequence = row % sequenceCount;
            add(token, row / sequenceCount, sequence, row >= total - sequenceCount);
        }
        if (!decode()) {
            throw new NativeException("llama.cpp had no room for a warm-up batch of " + total + " tokens");
        }
        for (int sequence = 0; sequence < sequenceCount; sequence++) {
            truncate(sequence, 0);
        }
    }

    /** Drops the rows added since the last decode. */
    public void discardBatch() {
        rows = 0;
    }

    /** Forgets a sequence from {@code position} on, so that it can be refilled from there. */
    public void truncate(int sequence, int position) {
        if (!LlamaNative.sequenceRemove(context, sequence, position, -1)) {
            throw new NativeException("llama.cpp could not shorten sequence " + sequence + " to " + position);
        }
    }

    /** Makes {@code target} hold what {@code source} holds (n > 1 choices share one prompt evaluation). */
    public void copySequence(int source, int target) {
        LlamaNative.sequenceCopy(context, source, target);
    }

    /**
     * The model's log-probabilities at a row of the last batch (raw logits, before any sampling
     * step): {@code token}'s, and the {@code topN} most likely tokens'.
     */
    public Logprobs logprobs(int row, int token, int topN) {
        int[] topIds = new int[topN];
        float[] values = LlamaNative.logprobs(context, row, token, topIds);
        return new Logprobs(values[0], topIds, java.util.Arrays.copyOfRange(values, 1, values.length));
    }

    /** A token's log-probability and the most likely alternatives, most likely first. */
    public record Logprobs(float logprob, int[] topIds, float[] topLogprobs) {
    }

    /** Samples (and accepts) the next token of a row of the last batch. */
    public int sample(NativeSampler sampler, int row) {
        return LlamaNative.sample(sampler.handle(), context, row);
    }

    /**
     * A sampler chain for one request. {@code grammar} (GBNF, or null) constrains every token; an
     * invalid one is an {@link IllegalArgumentException};
     * {@code bias} masks or favours tokens; penalties look back over {@code penaltyWindow} tokens.
     */
    public NativeSampler newSampler(SamplingParams sampling, String grammar, int[] biasIds, float[] biasValues,
            int penaltyWindow) {
        long seed = sampling.seed() == null ? -1 : Integer.toUnsignedLong(sampling.seed());
        return new NativeSampler(LlamaNative.samplerNew(model.handle(), sampling.temperature(), sampling.topK(),
                sampling.topP(), sampling.minP(), penaltyWindow, sampling.repetitionPenalty(),
                sampling.frequencyPenalty(), sampling.presencePenalty(), seed,
                grammar == null ? null : grammar.getBytes(StandardCharsets.UTF_8), biasIds, biasValues));
    }
}
