package io.inventiv.worker.engine.jni;

/** Pooled embeddings of whole token sequences, in a context of their own. Used by one thread at a time. */
public final class NativeEmbedder implements AutoCloseable {
    /** How the sequence's hidden states become one vector (llama.cpp's llama_pooling_type). */
    public enum Pooling {
        MEAN(1), CLS(2), LAST(3);

        private final int llamaValue;

        Pooling(int llamaValue) {
            this.llamaValue = llamaValue;
        }

        int llamaValue() {
            return llamaValue;
        }
    }

    private final long context;
    private boolean closed;

    NativeEmbedder(long context) {
        this.context = context;
    }

    /** The pooled, unnormalized embedding of the tokens (the model's n_embd values). */
    public synchronized float[] embed(int[] tokens) {
        if (closed) {
            throw new IllegalStateException("embedder is closed");
        }
        return LlamaNative.embed(context, tokens);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LlamaNative.contextFree(context);
        }
    }
}
