package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Response shapes of /v1/chat/completions, field for field as vLLM writes them. */
public final class ChatResponses {
    private ChatResponses() {
    }

    /** {@code content} is null when the answer is only tool calls; {@code tool_calls} is always a list. */
    public record Message(String role, String content, List<ToolCall> toolCalls) {
        public Message(String role, String content) {
            this(role, content, List.of());
        }
    }

    public record ToolCall(String id, String type, Function function) {
        public ToolCall(String id, String name, String arguments) {
            this(id, "function", new Function(name, arguments));
        }
    }

    public record Function(String name, String arguments) {
    }

    /** A streamed call: the first delta of a call has its id, type and name; later ones add arguments. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallDelta(int index, String id, String type, FunctionDelta function) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDelta(String name, String arguments) {
    }

    public record Choice(int index, Message message, Object logprobs, String finishReason, Object stopReason) {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices,
            Usage usage) {
        public Completion(String id, long created, String model, List<Choice> choices, Usage usage) {
            this(id, "chat.completion", created, model, choices, usage);
        }
    }

    /** A delta carries only what changed: the role once, then content or tool calls. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, List<ToolCallDelta> toolCalls) {
        public Delta(String role, String content) {
            this(role, content, null);
        }
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
