package io.inventiv.worker.engine;

import java.util.List;

/**
 * One validated chat message: a known role and its text; an assistant turn may carry the tool
 * calls it made, and a tool turn the id of the call it answers.
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {
    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of(), null);
    }

    /** A function call as OpenAI writes it; {@code arguments} is JSON text. */
    public record ToolCall(String id, String name, String arguments) {
    }
}
