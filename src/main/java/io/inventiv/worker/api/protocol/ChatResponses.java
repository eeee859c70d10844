package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Response shapes of /v1/chat/completions, field for field as vLLM writes them. */
public final class ChatResponses {
    private ChatResponses() {
    }

    public record Message(String role, String content) {
    }

    public record Choice(int index, Message message, Object logprobs, String finishReason, Object stopReason) {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices,
            Usage usage) {
        public Completion(String id, long created, String model, List<Choice> choices, Usage usage) {
            this(id, "chat.completion", created, model, choices, usage);
        }
    }

    /** A delta carries only what changed: the role once, then content. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    /** {@code stop_reason} appears on the finish chunk when a stop string ended the text. */
    public record ChunkChoice(int index, Delta delta, Object logprobs, String finishReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String stopReason) {
    }

    public record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {
        public Chunk(String id, long created, String model, List<ChunkChoice> choices, Usage usage) {
            this(id, "chat.completion.chunk", created, model, choices, usage);
        }
    }
}
