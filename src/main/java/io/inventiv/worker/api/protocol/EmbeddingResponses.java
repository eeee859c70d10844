package io.inventiv.worker.api.protocol;

import java.util.List;

/** Response shapes of /v1/embeddings, as vLLM writes them. */
public final class EmbeddingResponses {
    private EmbeddingResponses() {
    }

    /** {@code embedding} is a list of floats, or their little-endian float32 bytes in base64. */
    public record Embedding(int index, String object, Object embedding) {
        public Embedding(int index, Object embedding) {
            this(index, "embedding", embedding);
        }
    }

    public record EmbeddingList(String id, String object, long created, String model, List<Embedding> data,
            Usage usage) {
        public EmbeddingList(String id, long created, String model, List<Embedding> data, Usage usage) {
            this(id, "list", created, model, data, usage);
        }
    }
}
