package io.inventiv.worker.engine;

import io.inventiv.worker.engine.jni.NativeModel;
import io.inventiv.worker.engine.jni.NativeSampler;
import io.inventiv.worker.engine.jni.Utf8Assembler;
import java.util.Arrays;

/**
 * One slot of the native engine: a KV-cache sequence, the tokens it holds (kept after a request
 * ends, so the next request with the same prefix reuses them), and the request it serves now.
 * Only the decode loop's thread touches a slot.
 */
final class BatchSlot {
    final int sequence;
    /** The tokens in this slot's KV sequence, in order. */
    private int[] cached = new int[256];
    private int cachedLength;
    private long lastUsedAt;

    Generation generation;
    NativeSampler sampler;
    /** Prompt tokens already in the KV sequence. */
    int promptCursor;
    /** The sampled token still to be decoded, or -1. */
    int pendingToken = -1;
    /** This step's batch row whose logits are this slot's, or -1. */
    int row = -1;
    int reusedTokens;
    int completionTokens;
    long startedAt;
    long firstTokenAt;
    long previousTokenAt;
    Utf8Assembler text;
    StopStringMatcher stops;

    BatchSlot(int sequence) {
        this.sequence = sequence;
    }

    boolean isFree() {
        return generation == null;
    }

    boolean isPrefilling() {
        return generation != null && promptCursor < generation.prompt().length();
    }

    long lastUsedAt() {
        return lastUsedAt;
    }

    /** How many leading tokens of {@code prompt} this slot already holds. */
    int commonPrefix(int[] prompt) {
        int n = Math.min(cachedLength, prompt.length);
        int i = 0;
        while (i < n && cached[i] == prompt[i]) {
            i++;
        }
        return i;
    }

    /** Starts serving a generation whose first {@code reused} prompt tokens are already cached. */
    void start(Generation next, NativeSampler chainForIt, int reused, long now) {
        generation = next;
        sampler = chainForIt;
        cachedLength = reused;
        promptCursor = reused;
        reusedTokens = reused;
        pendingToken = -1;
        row = -1;
        completionTokens = 0;
        startedAt = now;
        firstTokenAt = 0;
        previousTokenAt = 0;
        text = new Utf8Assembler();
        stops = new StopStringMatcher(next.stops());
    }

    /** Records a token as placed in the KV sequence at position {@link #cachedLength()}. */
    void cache(int token) {
        if (cachedLength == cached.length) {
            cached = Arrays.copyOf(cached, cached.length * 2);
        }
        cached[cachedLength++] = token;
    }

    /** Takes the first {@code length} tokens of another slot's sequence, whose KV was just copied here. */
    void adoptCache(BatchSlot source, int length) {
        if (cached.length < length) {
            cached = Arrays.copyOf(cached, Math.max(length, cached.length * 2));
        }
        System.arraycopy(source.cached, 0, cached, 0, length);
        cachedLength = length;
    }

    int cachedLength() {
        return cachedLength;
    }

    /** Forgets the cached tokens (after a failed decode left the sequence in an unknown state). */
    void forgetCache() {
        cachedLength = 0;
    }

    /** Text that a sampled token completes, with stop strings applied; empty when none is ready. */
    String textOf(NativeModel model, int token) {
        model.appendPiece(token, text);
        return stops.accept(text.take());
    }

    /** What is left when the generation ends without a stop string. */
    String remainingText() {
        return stops.accept(text.flush()) + stops.flush();
    }

    /** Ends the request; the cached tokens stay for the next one. */
    void release(long now) {
        if (sampler != null) {
            sampler.close();
        }
        generation = null;
        sampler = null;
        text = null;
        stops = null;
        pendingToken = -1;
        row = -1;
        lastUsedAt = now;
    }
}
