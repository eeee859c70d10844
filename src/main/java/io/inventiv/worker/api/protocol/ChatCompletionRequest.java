package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventiv.worker.api.ApiException;
import io.inventiv.worker.engine.ChatMessage;
import io.inventiv.worker.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/** A checked /v1/chat/completions request; {@code tools} is null when it offers none (or asks for no call). */
public record ChatCompletionRequest(List<ChatMessage> messages, CommonRequestFields common, ToolRequest tools) {
    /** Upper bound on messages, so one request cannot make the template engine work forever. */
    public static final int MAX_MESSAGES = 2048;

    public static ChatCompletionRequest from(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        ToolRequest tools = ToolRequest.read(fields);
        List<ChatMessage> messages = messages(fields.raw("messages"));
        CommonRequestFields common = CommonRequestFields.read(fields, true);
        if (tools != null && tools.forced()) {
            if (common.sampling().constraint() != null) {
                throw ApiException.badRequest("A required or named tool_choice cannot be combined with another "
                        + "structured outputs constraint.", "tool_choice");
            }
            common = common.withConstraint(tools.grammar());
        }
        if (tools != null && common.n() > 1) {
            throw ApiException.badRequest("tools with n > 1 are not supported.", "n");
        }
        return new ChatCompletionRequest(messages, common, tools);
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null) {
            throw ApiException.badRequest("'messages' is required.", "messages");
        }
        if (!node.isArray()) {
            throw RequestFields.wrongType("messages", "a list of messages");
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest("'messages' must contain at least one message.", "messages");
        }
        if (node.size() > MAX_MESSAGES) {
            throw ApiException.badRequest("'messages' may hold at most " + MAX_MESSAGES + " messages, got "
                    + node.size() + ".", "messages");
        }
        List<ChatMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            messages.add(message(node.get(i), "messages[" + i + "]"));
        }
        return messages;
    }

    private static ChatMessage message(JsonNode node, String where) {
        if (!node.isObject()) {
            throw RequestFields.wrongType(where, "an object with 'role' and 'content'");
        }
        JsonNode role = node.get("role");
        if (role == null || !role.isTextual()) {
            throw ApiException.badRequest(where + ".role must be a string.", where + ".role");
        }
        if (!Engine.CHAT_ROLES.contains(role.textValue())) {
            throw ApiException.badRequest(where + ".role '" + role.textValue()
                    + "' is not one of system, user, assistant, tool.", where + ".role");
        }
        String text = content(node.get("content"), role.textValue(), where + ".content");
        List<ChatMessage.ToolCall> calls = toolCalls(node.get("tool_calls"), where + ".tool_calls");
        JsonNode callId = node.get("tool_call_id");
        if (callId != null && !callId.isNull() && !callId.isTextual()) {
            throw RequestFields.wrongType(where + ".tool_call_id", "a string");
        }
        return new ChatMessage(role.textValue(), text, calls, callId == null || callId.isNull() ? null : callId.textValue());
    }

    /** An assistant turn's earlier calls: {@code [{id, type: "function", function: {name, arguments}}]}. */
    private static List<ChatMessage.ToolCall> toolCalls(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw RequestFields.wrongType(where, "a list of tool calls");
        }
        List<ChatMessage.ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode call = node.get(i);
            JsonNode function = call.path("function");
            if (!function.path("name").isTextual() || !function.path("arguments").isTextual()) {
                throw RequestFields.wrongType(where + "[" + i + "]",
                        "{\"id\", \"type\": \"function\", \"function\": {\"name\", \"arguments\": a JSON string}}");
            }
            calls.add(new ChatMessage.ToolCall(call.path("id").asText(""), function.get("name").textValue(),
                    function.get("arguments").textValue()));
        }
        return calls;
    }

    /** Content is a string or a list of text parts; vLLM joins text parts with newlines. */
    private static String content(JsonNode node, String role, String where) {
        if (node == null || node.isNull()) {
            if (role.equals("assistant")) {
                return ""; // an assistant turn that only called tools has no text
            }
            throw ApiException.badRequest(where + " is required.", where);
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (!node.isArray()) {
            throw RequestFields.wrongType(where, "a string or a list of text parts");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode part = node.get(i);
            String partWhere = where + "[" + i + "]";
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw RequestFields.wrongType(partWhere, "an object with a 'type'");
            }
            String type = part.get("type").textValue();
            if (!type.equals("text")) {
                throw ApiException.badRequest(partWhere + " has type '" + type
                        + "'; this model only accepts text parts.", partWhere);
            }
            if (!part.path("text").isTextual()) {
                throw RequestFields.wrongType(partWhere + ".text", "a string");
            }
            texts.add(part.get("text").textValue());
        }
        return String.join("\n", texts);
    }
}
