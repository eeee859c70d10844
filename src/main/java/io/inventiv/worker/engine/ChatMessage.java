package io.inventiv.worker.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** The messages as the chat template reads them: OpenAI's shape, tool calls included. */
    static ArrayNode templateInput(List<ChatMessage> messages) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (ChatMessage message : messages) {
            ObjectNode item = array.addObject().put("role", message.role()).put("content", message.content());
            if (!message.toolCalls().isEmpty()) {
                ArrayNode calls = item.putArray("tool_calls");
                for (ToolCall call : message.toolCalls()) {
                    calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                            .put("name", call.name()).put("arguments", call.arguments());
                }
            }
            if (message.toolCallId() != null) {
                item.put("tool_call_id", message.toolCallId());
            }
        }
        return array;
    }

    /** A function call as OpenAI writes it; {@code arguments} is JSON text. */
    public record ToolCall(String id, String name, String arguments) {
    }
}
